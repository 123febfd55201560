import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { classify, toCutoverError } from '../../../shared/adapters/gcp/grpc-errors.js';
import { FAST_RETRY, withRetry } from '../../../shared/adapters/gcp/retry.js';
import { ConflictError, PermanentError, TransientError } from '../../../shared/errors.js';

/** An error shaped as grpc-js / google-gax hand it over. */
const rpc = (code: status, details: string): Error =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details });

describe('classify', () => {
  it.each([
    [status.UNAVAILABLE, 'x', 'retry'],
    [status.DEADLINE_EXCEEDED, 'x', 'retry'],
    [status.RESOURCE_EXHAUSTED, 'x', 'retry'],
    [status.INTERNAL, 'x', 'transient'],
    [status.ABORTED, 'x', 'conflict'],
    [status.FAILED_PRECONDITION, 'etag mismatch', 'conflict'],
    [status.FAILED_PRECONDITION, 'service is being deleted', 'permanent'],
    [status.PERMISSION_DENIED, 'x', 'permanent'],
    [status.NOT_FOUND, 'x', 'permanent'],
    [status.INVALID_ARGUMENT, 'x', 'permanent'],
  ] as const)('%s (%s) → %s', (code, details, kind) => {
    expect(classify(rpc(code, details))).toBe(kind);
  });

  it('treats an error without a gRPC code as permanent', () => {
    expect(classify(new TypeError('boom'))).toBe('permanent');
  });
});

describe('toCutoverError', () => {
  it('keeps the code name, the server message and the cause', () => {
    const cause = rpc(status.PERMISSION_DENIED, 'caller lacks run.services.update');
    const error = toCutoverError('UpdateService', cause);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', operation: 'UpdateService', cause });
    expect(error.message).toBe(
      'UpdateService failed with PERMISSION_DENIED: caller lacks run.services.update',
    );
  });

  it('names the resource on a conflict', () => {
    expect(
      toCutoverError(
        'UpdateService',
        rpc(status.ABORTED, 'etag'),
        'projects/p/locations/l/services/s',
      ),
    ).toEqual(expect.objectContaining({ service: 'projects/p/locations/l/services/s' }));
  });
});

describe('withRetry', () => {
  it('retries UNAVAILABLE and returns the first success', async () => {
    let calls = 0;
    const result = await withRetry(
      'GetService',
      async () => {
        calls += 1;
        if (calls < 3) throw rpc(status.UNAVAILABLE, 'down');
        return 'ok';
      },
      { policy: FAST_RETRY },
    );
    expect({ result, calls }).toEqual({ result: 'ok', calls: 3 });
  });

  it('gives up after the policy’s retries with a TransientError', async () => {
    let calls = 0;
    const call = withRetry(
      'GetService',
      async () => {
        calls += 1;
        throw rpc(status.DEADLINE_EXCEEDED, 'slow');
      },
      { policy: { ...FAST_RETRY, retries: 2 } },
    );
    await expect(call).rejects.toBeInstanceOf(TransientError);
    expect(calls).toBe(3);
  });

  it.each([
    [status.ABORTED, ConflictError],
    [status.INTERNAL, TransientError],
    [status.NOT_FOUND, PermanentError],
  ] as const)('does not retry %s', async (code, type) => {
    let calls = 0;
    const call = withRetry(
      'UpdateService',
      async () => {
        calls += 1;
        throw rpc(code, 'no');
      },
      { policy: FAST_RETRY },
    );
    await expect(call).rejects.toBeInstanceOf(type);
    expect(calls).toBe(1);
  });
});
