import {
  request,
  type Agent,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

/** Where a revision listens. */
export interface Upstream {
  host: string;
  port: number;
}

/** How one proxied request ended, as the client saw it. */
export interface Forwarded {
  status: number;
  /** False when the client went away before the response was complete. */
  completed: boolean;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Request bodies up to this size are kept so a request can be replayed on a stale keep-alive socket. */
const REPLAY_LIMIT = 1024 * 1024;

function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Sends a short plain-text error the way a front end does, unless the response already started. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(message),
  });
  res.end(message);
}

/**
 * Streams `req` to the upstream and the answer back. Failures become the status Cloud Run's front
 * end would send: 502 when the upstream refuses or drops the connection, 504 when it does not answer
 * within `timeoutMs`. A request that fails on a reused keep-alive socket before any answer is
 * replayed once on a fresh connection (its body is kept up to 1 MiB for that), so an idle socket
 * closing under us never fails a request. Resolves when the client's response is closed.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: Upstream,
  options: { agent: Agent; timeoutMs: number },
): Promise<Forwarded> {
  return new Promise((resolve) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let replayable = true;
    let bodyEnded = false;
    let attempt = 0;
    let current: ClientRequest;

    res.once('close', () => {
      if (!res.writableFinished) current.destroy();
      resolve({ status: res.statusCode, completed: res.writableFinished });
    });

    const send = () => {
      attempt += 1;
      const upstreamReq = request({
        host: upstream.host,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: endToEnd(req.headers),
        agent: options.agent,
      });
      current = upstreamReq;
      upstreamReq.setTimeout(options.timeoutMs, () => upstreamReq.destroy(new UpstreamTimeout()));
      upstreamReq.on('response', (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.headers));
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      });
      upstreamReq.on('error', (error: NodeJS.ErrnoException) => {
        if (current !== upstreamReq || res.headersSent || res.destroyed) {
          if (res.headersSent) res.destroy();
          return;
        }
        if (
          upstreamReq.reusedSocket &&
          replayable &&
          attempt === 1 &&
          error.code === 'ECONNRESET'
        ) {
          send();
          for (const chunk of kept) current.write(chunk);
          if (bodyEnded) current.end();
          return;
        }
        if (error instanceof UpstreamTimeout) sendError(res, 504, 'upstream request timeout');
        else sendError(res, 502, `upstream connect error: ${error.code ?? error.message}`);
      });
    };

    send();
    req.on('data', (chunk: Buffer) => {
      if (replayable) {
        keptBytes += chunk.length;
        if (keptBytes > REPLAY_LIMIT) {
          replayable = false;
          kept.length = 0;
        } else kept.push(chunk);
      }
      if (!current.write(chunk)) {
        req.pause();
        current.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      bodyEnded = true;
      current.end();
    });
    req.on('error', () => current.destroy());
  });
}

class UpstreamTimeout extends Error {
  constructor() {
    super('upstream did not answer in time');
    this.name = 'UpstreamTimeout';
  }
}
