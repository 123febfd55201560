import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startRouter,
  type Observation,
  type Router,
  type RoutingTable,
  type Upstream,
} from '../../local/platform/router.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tiny revision: answers `{revision, body}` after `delayMs`, echoing a POST body. */
async function upstream(name: string, delayMs = 0): Promise<Upstream> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ revision: name, body: Buffer.concat(chunks).toString() }));
      }, delayMs),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

async function router(
  upstreams: Record<string, Upstream | null>,
  observed: Array<[string, Observation]> = [],
) {
  const r: Router = await startRouter({
    upstream: (revision) => upstreams[revision] ?? null,
    observe: (revision, o) => observed.push([revision, o]),
  });
  cleanups.push(() => r.close());
  return r;
}

async function call(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; revision?: string; body?: string }> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 200) return { status: res.status };
  const json = JSON.parse(text) as { revision: string; body: string };
  return { status: res.status, revision: json.revision, body: json.body };
}

/** Sends `count` requests, `concurrency` at a time; `during(i)` runs before request i. */
async function burst(
  url: string,
  count: number,
  concurrency: number,
  during?: (i: number) => void,
) {
  const results: Array<Awaited<ReturnType<typeof call>>> = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      during?.(i);
      results.push(await call(url));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

const tally = (results: Array<{ revision?: string }>) =>
  results.reduce<Record<string, number>>(
    (t, r) => ({ ...t, [r.revision ?? 'none']: (t[r.revision ?? 'none'] ?? 0) + 1 }),
    {},
  );

describe('router', () => {
  it('splits the service URL by the traffic percents (90/10 over 200 requests)', async () => {
    const r = await router({ blue: await upstream('blue'), green: await upstream('green') });
    r.setTable({
      split: [
        { revision: 'blue', percent: 90 },
        { revision: 'green', percent: 10 },
      ],
      tags: {},
    });
    const results = await burst(r.url, 200, 8);
    expect(results.every((x) => x.status === 200)).toBe(true);
    expect(tally(results)).toEqual({ blue: 180, green: 20 });
  });

  it('serves each tag on its own URL, reaching only its revision', async () => {
    const r = await router({ blue: await upstream('blue'), green: await upstream('green') });
    r.setTable({
      split: [{ revision: 'blue', percent: 100 }],
      tags: { blue: 'blue', green: 'green' },
    });
    const green = await burst(r.tagUrl('green'), 20, 4);
    const blue = await burst(r.tagUrl('blue'), 20, 4);
    expect(tally(green)).toEqual({ green: 20 });
    expect(tally(blue)).toEqual({ blue: 20 });
    expect(tally(await burst(r.url, 20, 4))).toEqual({ blue: 20 });
    expect(r.tagUrl('green')).not.toBe(r.tagUrl('blue'));
    expect(r.tagUrl('green')).not.toBe(r.url);
  });

  it('keeps a tag URL stable and answers 404 on it while the tag is not in the table', async () => {
    const r = await router({ blue: await upstream('blue') });
    r.setTable({ split: [{ revision: 'blue', percent: 100 }], tags: { green: 'blue' } });
    const url = r.tagUrl('green');
    r.setTable({ split: [{ revision: 'blue', percent: 100 }], tags: {} });
    expect((await call(url)).status).toBe(404);
    r.setTable({ split: [{ revision: 'blue', percent: 100 }], tags: { green: 'blue' } });
    expect(r.tagUrl('green')).toBe(url);
    expect(await call(url)).toMatchObject({ status: 200, revision: 'blue' });
  });

  it('hands out URLs for more new tags than its spare listeners, one at a time', async () => {
    const r = await router({ blue: await upstream('blue') });
    const urls = new Set<string>();
    for (let i = 0; i < 8; i++) {
      urls.add(r.tagUrl(`t${i}`));
      await r.refilled();
    }
    expect(urls.size).toBe(8);
  });

  it('fails no request while the table changes under a stream of concurrent requests', async () => {
    const r = await router({
      blue: await upstream('blue', 15),
      green: await upstream('green', 15),
    });
    const tables: RoutingTable[] = [
      { split: [{ revision: 'blue', percent: 100 }], tags: {} },
      {
        split: [
          { revision: 'blue', percent: 90 },
          { revision: 'green', percent: 10 },
        ],
        tags: { green: 'green' },
      },
      {
        split: [
          { revision: 'blue', percent: 50 },
          { revision: 'green', percent: 50 },
        ],
        tags: { green: 'green' },
      },
      { split: [{ revision: 'blue', percent: 100 }], tags: {} },
      { split: [{ revision: 'green', percent: 100 }], tags: { blue: 'blue' } },
    ];
    r.setTable(tables[0]!);
    const results = await burst(r.url, 400, 24, (i) => {
      if (i % 40 === 0) r.setTable(tables[(i / 40) % tables.length]!);
    });
    expect(results.filter((x) => x.status !== 200)).toEqual([]);
    expect(results).toHaveLength(400);
    const t = tally(results);
    expect(t.blue).toBeGreaterThan(0);
    expect(t.green).toBeGreaterThan(0);
  });

  it('streams request bodies to the revision and answers back', async () => {
    const r = await router({ blue: await upstream('blue') });
    r.setTable({ split: [{ revision: 'blue', percent: 100 }], tags: {} });
    const body = JSON.stringify({ pressure_bar: 3.2, padding: 'x'.repeat(200_000) });
    expect(await call(r.url, { method: 'POST', body })).toEqual({
      status: 200,
      revision: 'blue',
      body,
    });
  });

  it('answers 502 when the revision refuses, 503 when it is unavailable or nothing serves, and counts them', async () => {
    const closed = await upstream('gone');
    await cleanups.pop()!();
    const observed: Array<[string, Observation]> = [];
    const r = await router({ gone: closed, missing: null }, observed);
    expect((await call(r.url)).status).toBe(503);
    r.setTable({ split: [{ revision: 'gone', percent: 100 }], tags: { m: 'missing' } });
    expect((await call(r.url)).status).toBe(502);
    expect((await call(r.tagUrl('m'))).status).toBe(503);
    expect(observed.map(([rev, o]) => [rev, o.status])).toEqual([
      ['gone', 502],
      ['missing', 503],
    ]);
  });

  it('reports every completed request with its revision, status and latency, tag URLs included', async () => {
    const observed: Array<[string, Observation]> = [];
    const r = await router(
      { blue: await upstream('blue'), green: await upstream('green') },
      observed,
    );
    r.setTable({ split: [{ revision: 'blue', percent: 100 }], tags: { green: 'green' } });
    await burst(r.url, 5, 1);
    await burst(r.tagUrl('green'), 3, 1);
    expect(tally(observed.map(([revision]) => ({ revision })))).toEqual({ blue: 5, green: 3 });
    for (const [, o] of observed) {
      expect(o.status).toBe(200);
      expect(o.latencyMs).toBeGreaterThan(0);
    }
  });
});
