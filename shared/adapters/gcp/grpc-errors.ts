import { status } from '@grpc/grpc-js';
import { ConflictError, CutoverError, PermanentError, TransientError } from '../../errors.js';

/**
 * How cutover treats each gRPC status.
 * - `retry`: may pass within seconds (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED); retried
 *   in-process with backoff, then rethrown as TransientError so Pub/Sub redelivers.
 * - `transient`: INTERNAL. AIP-194 says clients should not blindly retry it (it signals a server
 *   bug, and an immediate retry rarely helps), so it is not retried in-process; but Google APIs do
 *   return it for passing faults, so it becomes a TransientError and the event is redelivered with
 *   Pub/Sub's own backoff (and dead-lettered if it never passes). Cloud Run's INTERNAL "Revision
 *   '…' does not exist or is deleted" is the exception: the same request fails the same way, so it
 *   is permanent.
 * - `conflict`: ABORTED, or FAILED_PRECONDITION about an etag (the pre-2021 AIP-154 code): re-read.
 * - `permanent`: everything else.
 */
export type GrpcErrorKind = 'retry' | 'transient' | 'conflict' | 'permanent';

const RETRIED = new Set<number>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
]);

/** The numeric gRPC code of an error from a Google client, or undefined when it has none. */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' && status[code] !== undefined ? code : undefined;
}

/** `UNAVAILABLE`, `PERMISSION_DENIED`…; `UNKNOWN` for errors without a gRPC code. */
export function codeName(code: number | undefined): string {
  return code === undefined ? 'UNKNOWN' : (status[code] ?? `CODE_${code}`);
}

/** The server's message without the `14 UNAVAILABLE: ` prefix grpc-js puts in front. */
export function serverMessage(error: unknown): string {
  const e = error as { details?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.details === 'string' && e.details) return e.details;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return message.replace(/^\d+ [A-Z_]+: /, '');
}

export function classify(error: unknown): GrpcErrorKind {
  const code = grpcCode(error);
  if (code === undefined) return 'permanent';
  if (RETRIED.has(code)) return 'retry';
  // Cloud Run's code 13 for traffic naming a deleted revision is not a passing fault.
  if (code === status.INTERNAL && /does not exist or is deleted/.test(serverMessage(error)))
    return 'permanent';
  if (code === status.INTERNAL) return 'transient';
  if (code === status.ABORTED) return 'conflict';
  if (code === status.FAILED_PRECONDITION && /etag/i.test(serverMessage(error))) return 'conflict';
  return 'permanent';
}

/**
 * Turns an error from a Google client into cutover's typed errors, the original as `cause`.
 * `operation` names the call (`UpdateService`); `resource` the thing it was about (for conflicts).
 * A CutoverError passes through unchanged.
 */
export function toCutoverError(
  operation: string,
  error: unknown,
  resource = operation,
): CutoverError {
  if (error instanceof CutoverError) return error;
  const code = grpcCode(error);
  switch (classify(error)) {
    case 'retry':
    case 'transient':
      return new TransientError(operation, codeName(code), { cause: error });
    case 'conflict':
      return new ConflictError(resource, { cause: error });
    case 'permanent':
      return new PermanentError(operation, codeName(code), serverMessage(error), { cause: error });
  }
}
