import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSmokeProber } from '../../../shared/adapters/http-smoke-prober.js';
import { SmokeRoute } from '../../../shared/schemas/config.js';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        body,
      });
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/text') return void res.end('plain text');
      res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, echo: body ? (JSON.parse(body) as unknown) : null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const route = (r: Partial<SmokeRoute>): SmokeRoute => SmokeRoute.parse({ path: '/', ...r });
const plain = { authenticate: false, timeoutMs: 1000 };

describe('HttpSmokeProber', () => {
  const tokens: string[] = [];
  const prober = new HttpSmokeProber({
    idToken: async (audience) => (tokens.push(audience), `token-for-${audience}`),
  });

  it('returns the status, a latency and the parsed JSON', async () => {
    const result = await prober.probe(base, route({ path: '/health' }), plain);
    expect(result).toMatchObject({
      status: 200,
      json: { path: '/health', echo: null },
      error: null,
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('sends the body as JSON and reports a 5xx as a status, not an error', async () => {
    const result = await prober.probe(
      base,
      route({ method: 'POST', path: '/fail', body: { x: 1 } }),
      plain,
    );
    expect(result).toMatchObject({ status: 503, json: { echo: { x: 1 } }, error: null });
  });

  it('gives null json for a body that is not JSON', async () => {
    expect(await prober.probe(base, route({ path: '/text' }), plain)).toMatchObject({
      status: 200,
      json: null,
    });
  });

  it('sends an ID token for the URL’s origin when asked; a base path is kept (/api/v2)', async () => {
    await prober.probe(`${base}/api/v2`, route({ path: '/auth' }), {
      authenticate: true,
      timeoutMs: 1000,
    });
    expect(seen.find((s) => s.url === '/api/v2/auth')?.auth).toBe(`Bearer token-for-${base}`);
    expect(tokens).toEqual([base]);
  });

  it('reports a timeout in error, without throwing', async () => {
    const result = await prober.probe(base, route({ path: '/slow' }), {
      authenticate: false,
      timeoutMs: 50,
    });
    expect(result).toMatchObject({ status: null, json: null, error: 'timed out after 50 ms' });
  });

  it('reports a refused connection in error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await prober.probe(`http://127.0.0.1:${port}`, route({}), plain);
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('reports a failed token fetch in error', async () => {
    const failing = new HttpSmokeProber({
      idToken: () => Promise.reject(new Error('no credentials')),
    });
    expect(
      await failing.probe(base, route({}), { authenticate: true, timeoutMs: 1000 }),
    ).toMatchObject({ status: null, error: 'no credentials' });
  });
});
