import { NoLocalStackError } from '../local/endpoints.js';
import { CutoverError } from '../shared/errors.js';
import { processIo, type Io } from './output.js';
import { TargetError } from './target-error.js';

const NO_CREDENTIALS =
  /Could not load the default credentials|Unable to detect a Project Id|invalid_grant|reauth related error/i;

/** The error, or one of its causes, says Application Default Credentials are missing or stale. */
function credentialsMissing(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (NO_CREDENTIALS.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}

/** The one line a user can act on, or null when the error is a bug. */
export function userMessage(error: unknown): { kind: string; message: string } | null {
  if (credentialsMissing(error))
    return {
      kind: 'NoCredentials',
      message:
        'no Google credentials: run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS), then try again',
    };
  if (
    error instanceof TargetError ||
    error instanceof NoLocalStackError ||
    error instanceof CutoverError
  )
    return { kind: error.name, message: error.message };
  return null;
}

/**
 * Runs a command and turns the failures a user can act on (no stack, bad service reference,
 * config, API errors, missing credentials) into one line on stderr — a JSON object with `json` —
 * and exit code `code` (1); anything else is a bug and propagates with its stack.
 */
export async function reportFailure(
  work: () => Promise<number>,
  options: { json?: boolean; io?: Io; code?: number } = {},
): Promise<number> {
  const io = options.io ?? processIo;
  try {
    return await work();
  } catch (error) {
    const known = userMessage(error);
    if (!known) throw error;
    io.err(options.json ? `${JSON.stringify({ error: known })}\n` : `cutover: ${known.message}\n`);
    return options.code ?? 1;
  }
}
