import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger } from '../shared/ports/logger.js';

/**
 * What every function answers to an HTTP request no sender of ours produces (Eventarc, a Pub/Sub
 * push, Cloud Monitoring's webhook all POST JSON): 400 with a one-line JSON error. Returns null for
 * a request the framework may go on to parse. The reasons name what to send instead and never an
 * internal (no stack, no path).
 */
export function refusal(req: IncomingMessage): string | null {
  if (req.method !== 'POST') return `${req.method ?? 'this method'} is not accepted: POST JSON`;
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || Number(length) === 0))
    return 'the body is empty: POST a JSON body';
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/cloudevents+json')
    return `content-type ${type || '(none)'} is not accepted: send application/json`;
  return null;
}

/** The answer to a request that failed inside the framework, before a function ran. */
export function frameworkFailure(error: unknown): { status: number; message: string } {
  const status = (error as { status?: unknown } | null)?.status;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return { status: 400, message: 'the body is not valid JSON' };
  if (typeof status === 'number' && status >= 400 && status < 500)
    return { status, message: `the request was refused (${status})` };
  // Nothing of cutover's ran yet: the framework tripped over a body that is not an event.
  return { status: 400, message: 'the request is not an event a cutover function accepts' };
}

function answer(res: ServerResponse, status: number, error: string): void {
  if (res.headersSent) return void res.end();
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error }));
}

type Handle = (
  this: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  callback?: (error?: unknown) => void,
) => unknown;

let installed = false;

/**
 * Puts `refusal` in front of, and a JSON final handler behind, every Express app the
 * functions-framework builds in this process (one per function). The framework offers no hook for
 * either: without this, a GET, an empty or non-JSON body, or a body its middleware cannot read ends
 * in Express's default handler, which answers 500/400 with an HTML page holding the stack trace and
 * file paths. Patching `application.handle` of the framework's own `express` is the one place both
 * go; a request that reaches a function is untouched. The full error goes to `logger` only.
 */
export function answerMalformedRequestsAsJson(logger: () => Logger): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const frameworkRequire = createRequire(require.resolve('@google-cloud/functions-framework'));
  const express = frameworkRequire('express') as { application: { handle: Handle } };
  const original = express.application.handle;
  express.application.handle = function handle(req, res, callback) {
    if (callback) return original.call(this, req, res, callback);
    const refused = refusal(req);
    if (refused) {
      logger().warn(`request refused: ${refused}`, { method: req.method, path: req.url });
      req.resume();
      return answer(res, 400, refused);
    }
    return original.call(this, req, res, (error?: unknown) => {
      if (!error) return answer(res, 404, `no route ${req.url ?? ''}: POST to /`);
      const failure = frameworkFailure(error);
      logger().warn(`request refused before any function ran: ${failure.message}`, { error });
      answer(res, failure.status, failure.message);
    });
  };
}
