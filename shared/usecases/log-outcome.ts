import type { Applied } from './apply.js';
import type { Deps } from './deps.js';

/** One log line for the outcome of a decision: applied, ignored (with why) or a failed deploy. */
export function logOutcome(log: Deps['logger'], outcome: Applied): void {
  if (outcome.kind === 'applied') log.info(outcome.transition.summary);
  else if (outcome.kind === 'ignored') log.info(`nothing to do: ${outcome.reason}`);
  else log.error(outcome.error.message, { error: outcome.error });
}
