import { NoLocalStackError } from '../local/endpoints.js';
import { CutoverError } from '../shared/errors.js';
import { TargetError } from './target.js';

/**
 * Runs an operator command and turns the failures a user can act on (no stack, bad service
 * reference, config or API errors) into one line on stderr and exit code 1; anything else is a bug
 * and propagates.
 */
export async function reportFailure(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof TargetError ||
      error instanceof NoLocalStackError ||
      error instanceof CutoverError
    ) {
      process.stderr.write(`cutover: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
