import { status } from '@grpc/grpc-js';
import type { CutoverError } from '../../errors.js';
import { DeployFailedError, MissingRevisionError } from '../../errors.js';
import type { ServiceChange } from '../../ports/service-platform.js';
import { grpcCode, serverMessage, toCutoverError } from './grpc-errors.js';

const MISSING = /Revision '([^']+)' does not exist or is deleted/;

/**
 * How an UpdateService operation that ended with an error maps to cutover's errors
 * (docs/google-behaviour.md, "Operations and failures"):
 * - code 9 "Revision '<the deployed one>' is not ready and cannot serve traffic" → DeployFailedError;
 * - code 13 "Revision '…' does not exist or is deleted" → MissingRevisionError (permanent);
 * - anything else as any other call's error.
 */
export function operationError(
  error: unknown,
  service: string,
  change: ServiceChange,
): CutoverError {
  const message = serverMessage(error);
  const code = grpcCode(error);
  const deployed = change.deploy?.revision;
  if (
    deployed &&
    code === status.FAILED_PRECONDITION &&
    message.includes(`Revision '${deployed}' is not ready`)
  )
    return new DeployFailedError(service, deployed, message, { cause: error });
  const missing = MISSING.exec(message);
  if (code === status.INTERNAL && missing?.[1])
    return new MissingRevisionError(service, missing[1], { cause: error });
  return toCutoverError('UpdateService', error, service);
}
