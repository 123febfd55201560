import {
  Agent,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRoute } from './api-paths.js';
import { forward, sendError, type Upstream } from './proxy.js';
import { WeightedPicker, type Split } from './weighted-picker.js';

export type { Upstream } from './proxy.js';
export type { Split } from './weighted-picker.js';

/** What a service serves: the percent split of its URL and the revision behind each tag URL. */
export interface RoutingTable {
  split: Split[];
  /** tag → revision */
  tags: Record<string, string>;
}

/** One finished request as the front end measured it: received → response complete. */
export interface Observation {
  status: number;
  latencyMs: number;
}

export interface RouterOptions {
  /** Where a revision listens; may wait (a cold start). Null or a rejection answers 503. */
  upstream: (revision: string) => Upstream | null | Promise<Upstream | null>;
  /** Called once per completed request, tag URLs included, with the revision that served it. */
  observe?: (revision: string, observation: Observation) => void;
  /** Upstream request timeout (Cloud Run's default is 300 s); past it the client gets 504. */
  timeoutMs?: number;
  /** Listeners kept open ahead of need so `tagUrl` can hand out a new tag's URL synchronously. */
  spareTagListeners?: number;
  /**
   * Versioned API paths on the service URL, as the load balancer serves them: `PREFIX/v2/x` goes to
   * the revision tagged `tagOf('v2')` as `/x`, other `PREFIX/x` follow the split as `/x`.
   */
  api?: { prefix: string; tagOf: (version: string) => string };
}

export interface Router {
  /** The service URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /**
   * The tag's own URL. Synchronous (the emulator asks while it builds a response): a new tag takes
   * a pre-opened listener. A tag keeps its URL for the router's life, also while it is not in the
   * table (its URL then answers 404, as Cloud Run does for an unknown tag).
   */
  tagUrl(tag: string): string;
  /**
   * Replaces the routing atomically: requests in flight finish on the revision they were sent to,
   * the next request uses the new table. No request fails because of the change.
   */
  setTable(table: RoutingTable): void;
  table(): RoutingTable;
  /** Resolves once the spare tag listeners used so far have been replaced. */
  refilled(): Promise<void>;
  /** Closes every listener and connection; resolves when all are closed. */
  close(): Promise<void>;
}

interface Listener {
  server: Server;
  url: string;
}

function open(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listener> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

function shut(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the front end of one service: its URL and a pool of tag listeners, all on 127.0.0.1. */
export async function startRouter(options: RouterOptions): Promise<Router> {
  const agent = new Agent({ keepAlive: true });
  const timeoutMs = options.timeoutMs ?? 300_000;
  const spares = options.spareTagListeners ?? 4;
  let current = { table: { split: [], tags: {} } as RoutingTable, picker: new WeightedPicker([]) };
  const byTag = new Map<string, Listener>();
  const pool: Array<Listener & { assign: (tag: string) => void }> = [];
  const all: Server[] = [];
  let refilling: Promise<void> = Promise.resolve();
  let closed = false;

  async function serve(req: IncomingMessage, res: ServerResponse, revision: string) {
    const received = performance.now();
    let upstream: Upstream | null = null;
    try {
      upstream = await options.upstream(revision);
    } catch {
      upstream = null;
    }
    const outcome = upstream
      ? await forward(req, res, upstream, { agent, timeoutMs })
      : await new Promise<{ status: number; completed: boolean }>((resolve) => {
          res.once('close', () =>
            resolve({ status: res.statusCode, completed: res.writableFinished }),
          );
          req.resume();
          sendError(res, 503, `revision ${revision} is not available`);
        });
    if (outcome.completed) {
      options.observe?.(revision, {
        status: outcome.status,
        latencyMs: performance.now() - received,
      });
    }
  }

  const main = await open((req, res) => {
    if (options.api) {
      const { prefix, tagOf } = options.api;
      const tags = current.table.tags;
      const route = apiRoute(req.url ?? '/', prefix, (v) => tags[tagOf(v)] !== undefined);
      req.url = route.path;
      const versioned = route.kind === 'version' ? tags[tagOf(route.version)] : undefined;
      if (versioned !== undefined) return void serve(req, res, versioned);
    }
    const revision = current.picker.next();
    if (revision === null) return sendError(res, 503, 'no revision is serving traffic');
    void serve(req, res, revision);
  });
  all.push(main.server);

  async function spare(): Promise<void> {
    let tag: string | null = null;
    const listener = await open((req, res) => {
      const revision = tag === null ? undefined : current.table.tags[tag];
      if (revision === undefined)
        return sendError(res, 404, `no traffic tag ${tag ?? '(unassigned)'}`);
      void serve(req, res, revision);
    });
    all.push(listener.server);
    if (closed) return shut(listener.server);
    pool.push({ ...listener, assign: (t) => (tag = t) });
  }

  function refill(): void {
    refilling = refilling.then(async () => {
      while (!closed && pool.length < spares) await spare();
    });
  }
  refill();
  await refilling;

  function tagUrl(tag: string): string {
    const known = byTag.get(tag);
    if (known) return known.url;
    const listener = pool.shift();
    if (!listener)
      throw new Error(`no spare listener for tag ${tag}: more than ${spares} new tags at once`);
    listener.assign(tag);
    byTag.set(tag, listener);
    refill();
    return listener.url;
  }

  return {
    url: main.url,
    tagUrl,
    setTable(table) {
      for (const tag of Object.keys(table.tags)) tagUrl(tag);
      current = { table: structuredClone(table), picker: new WeightedPicker(table.split) };
    },
    table: () => structuredClone(current.table),
    refilled: () => refilling,
    async close() {
      closed = true;
      await refilling.catch(() => undefined);
      await Promise.all(all.map(shut));
      agent.destroy();
    },
  };
}
