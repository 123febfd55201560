/**
 * What one request through the router came back with, as the demo counts it:
 * - `ok`: a 2xx from the model, with the `model_version` that answered;
 * - `injected`: the model's own 503 for `ERROR_RATE` (`{"error":"model temporarily unavailable"}`),
 *   a failure the scenario asked for;
 * - `failed`: anything else: a router error (502/503/504 in plain text), a 404, a dropped
 *   connection. A traffic change or a revert must cause none of these.
 */
export type Answer =
  { kind: 'ok'; version: string } | { kind: 'injected' } | { kind: 'failed'; detail: string };

/** The model's body for a failure injected by ERROR_RATE (examples/leakage-model/server.ts). */
export const INJECTED_ERROR = 'model temporarily unavailable';

/** Classifies a response by status and body; never throws. */
export function classifyAnswer(status: number, body: string): Answer {
  const json = parseObject(body);
  if (status >= 200 && status < 300) {
    const version = json?.model_version;
    if (typeof version === 'string') return { kind: 'ok', version };
    return { kind: 'failed', detail: `${status} without model_version: ${body.slice(0, 80)}` };
  }
  if (status === 503 && json?.error === INJECTED_ERROR) return { kind: 'injected' };
  return { kind: 'failed', detail: `${status} ${body.slice(0, 80)}` };
}

/** A request that got no response at all. */
export function failedRequest(error: unknown): Answer {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return { kind: 'failed', detail: `no response: ${cause ?? (error as Error).message}` };
}

/** Sends one prediction request; resolves with its answer (network errors included). */
export async function predict(url: string, features: object, timeoutMs = 10_000): Promise<Answer> {
  try {
    const response = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(features),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return classifyAnswer(response.status, await response.text());
  } catch (error) {
    return failedRequest(error);
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
