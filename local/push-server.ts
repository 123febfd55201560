import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ModelKnobs } from './model-image.js';

/** Body of `POST /push`: the tag to push and the model knobs its recipe carries. */
export const PushRequest = z.strictObject({
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker tag'),
  knobs: z.record(z.string(), z.string()).default({}),
});
export type PushRequest = z.infer<typeof PushRequest>;

export type Push = (tag: string, knobs: ModelKnobs) => Promise<{ image: string; digest: string }>;

export interface PushServer {
  url: string;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/**
 * The local stand-in for `docker push` from another process (`cutover local-push`, tests): on
 * loopback, `POST /push {"tag": "2.0.0", "knobs": {"EXTRA_LATENCY_MS": "80"}}` pushes that tag of
 * the sample model into the emulated registry, which notifies `gcr` as Artifact Registry does.
 * Answers 200 `{image, digest}`, 400 with the issues for a bad body, 404 for any other route.
 */
export async function startPushServer(push: Push): Promise<PushServer> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, json: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (req.method !== 'POST' || req.url !== '/push') return reply(404, { error: 'POST /push' });
    body(req)
      .then(async (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return reply(400, { error: 'body is not JSON' });
        }
        const parsed = PushRequest.safeParse(json);
        if (!parsed.success)
          return reply(400, {
            error: 'invalid push',
            issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
          });
        reply(200, await push(parsed.data.tag, parsed.data.knobs));
      })
      .catch((error: unknown) => reply(500, { error: (error as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
