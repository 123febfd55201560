import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Series } from '../emulator/monitoring-types.js';
import { instantQuery, PromqlError } from './promql.js';

/**
 * Managed Service for Prometheus' query API over the emulator's Monitoring data:
 * `GET|POST /v1/projects/P/location/global/prometheus/api/v1/query?query=…&time=…` (the path of
 * https://monitoring.googleapis.com/v1/projects/P/location/global/prometheus), answering as the
 * Prometheus HTTP API does: `{status: "success", data: {resultType: "vector", result: [{metric,
 * value: [time, "value"]}]}}`, or 400 `{status: "error", errorType: "bad_data", error}`.
 * No authentication, like the emulator's other APIs.
 */
export class PrometheusQueryHttp {
  private server: Server | null = null;
  /** Queries answered with a result so far (for tests that check who read what). */
  answered = 0;

  constructor(
    private readonly series: (project: string) => Series[],
    private readonly now: () => Date,
  ) {}

  /** Binds 127.0.0.1 and resolves with `http://127.0.0.1:PORT`. */
  listen(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      );
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = /^\/v1\/projects\/([^/]+)\/location\/global\/prometheus\/api\/v1\/query$/.exec(
      url.pathname,
    );
    if (!path) return send(res, 404, failure('not_found', `no Prometheus API at ${url.pathname}`));
    const params = new URLSearchParams(url.search);
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
        params.set(k, v);
    }
    const query = params.get('query');
    if (!query) return send(res, 400, failure('bad_data', 'missing query parameter "query"'));
    const timeParam = params.get('time');
    const time = timeParam === null ? this.now().getTime() : Number(timeParam) * 1000;
    if (!Number.isFinite(time))
      return send(res, 400, failure('bad_data', `invalid time "${timeParam}"`));
    try {
      const result = instantQuery(query, time, this.series(decodeURIComponent(path[1]!)));
      this.answered += 1;
      send(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: result.map((s) => ({
            metric: s.labels,
            value: [time / 1000, formatValue(s.value)],
          })),
        },
      });
    } catch (error) {
      if (error instanceof PromqlError) return send(res, 400, failure('bad_data', error.message));
      send(res, 500, failure('internal', (error as Error).message));
    }
  }
}

function failure(errorType: string, error: string) {
  return { status: 'error', errorType, error };
}

/** Prometheus sends sample values as strings: "+Inf", "NaN", or the float. */
function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
