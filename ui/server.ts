import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { act, type ActionName, type CliEnv } from '../cli/act.js';
import type { Io } from '../cli/output.js';
import { systemPacer, type Pacer } from '../cli/pacer.js';
import type { Target } from '../cli/target.js';
import { readPage, type PageSource } from './source.js';
import { actorOf } from './actor.js';

const require = createRequire(import.meta.url);
/** ui/assets beside this file, or — from the compiled dist/ui — the package's own ui/assets. */
function asset(name: string): string {
  try {
    return readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL(`../../ui/assets/${name}`, import.meta.url), 'utf8');
  }
}
/** Served from the uplot package itself: the network may be closed, and no CDN is trusted. */
const STATIC: Record<string, { type: string; body: () => string }> = {
  '/': { type: 'text/html; charset=utf-8', body: () => asset('index.html') },
  '/assets/page.js': { type: 'text/javascript; charset=utf-8', body: () => asset('page.js') },
  '/assets/page.css': { type: 'text/css; charset=utf-8', body: () => asset('page.css') },
  '/assets/uPlot.iife.min.js': {
    type: 'text/javascript; charset=utf-8',
    body: () => readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
  },
  '/assets/uPlot.min.css': {
    type: 'text/css; charset=utf-8',
    body: () => readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  },
};

const ACTIONS = ['pause', 'resume', 'promote', 'rollback', 'undo'] as const;
const ActionBody = z.object({
  by: z.string().min(1).max(200).optional(),
  reason: z.string().max(1000).optional(),
});

export interface PageOptions {
  services: string[];
  source: PageSource;
  /** The same target the CLI would act on, for the page's buttons. */
  target(service: string): Target;
  pacer?: Pacer;
  /** How long an action waits for its outcome. */
  actionTimeout?: string;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}
const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/** The JSON body; under the functions-framework (ui/function.ts) its parser has read the stream into `rawBody`. */
async function readBody(req: IncomingMessage & { rawBody?: unknown }): Promise<unknown> {
  const chunks: Buffer[] = [];
  if (Buffer.isBuffer(req.rawBody)) chunks.push(req.rawBody);
  else for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

/**
 * The release page's HTTP handler: `/` (the page), `/api/services` (managed services),
 * `/api/services/NAME` (the page model), `POST /api/services/NAME/actions/ACTION` (pause, resume,
 * promote, rollback, undo — through the CLI's own `act`, so the request, the wait for the outcome
 * and the recorded actor are the same as `cutover pause`). NAME is the URL-encoded full name.
 */
export function pageHandler(
  options: PageOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const pacer = options.pacer ?? systemPacer;
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://page');
      const page =
        STATIC[url.pathname] ?? (url.pathname.startsWith('/services/') ? STATIC['/'] : undefined);
      if (req.method === 'GET' && page) return send(res, 200, page.type, page.body());
      if (req.method === 'GET' && url.pathname === '/api/services')
        return json(res, 200, { services: options.services });
      const match = /^\/api\/services\/([^/]+)(?:\/actions\/([a-z-]+))?$/.exec(url.pathname);
      const service = match ? decodeURIComponent(match[1] ?? '') : null;
      if (!service || !options.services.includes(service))
        return json(res, 404, { error: { message: 'no such service on this page' } });
      const action = match?.[2];
      if (req.method === 'GET' && !action)
        return json(res, 200, await readPage(options.source, service, pacer.now()));
      if (req.method !== 'POST' || !action)
        return json(res, 405, { error: { message: 'GET the page, POST an action' } });
      if (!(ACTIONS as readonly string[]).includes(action))
        return json(res, 404, { error: { message: `unknown action ${action}` } });
      const body = ActionBody.safeParse(await readBody(req));
      if (!body.success)
        return json(res, 400, {
          error: { message: body.error.issues.map((i) => i.message).join('; ') },
        });
      const out: string[] = [];
      const io: Io = { out: (t) => void out.push(t), err: (t) => void out.push(t) };
      const env: CliEnv = {
        io,
        pacer,
        open: async () => options.target(service),
        defaults: { project: null, region: null, account: null },
      };
      const by = actorOf(req.headers, body.data.by);
      const code = await act(
        action as ActionName,
        service,
        {
          json: true,
          by,
          timeout: options.actionTimeout ?? '90s',
          ...(body.data.reason ? { reason: body.data.reason } : {}),
        },
        env,
      );
      const result = out
        .map((l) => {
          try {
            return JSON.parse(l) as unknown;
          } catch {
            return { message: l.trim() };
          }
        })
        .at(-1);
      return json(res, code === 0 ? 200 : 409, { exitCode: code, ...(result as object) });
    })().catch((error: unknown) =>
      json(res, 500, { error: { message: (error as Error).message } }),
    );
  };
}

/** Listens on loopback (port 0 unless given) and resolves with the page's URL. */
export async function startReleasePage(
  options: PageOptions & { port?: number; host?: string },
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(pageHandler(options));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as { port: number };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
