import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Verdict } from '../schemas/release.js';

/**
 * What a tick does with the step it judged:
 * - `hold`: stay at this step (baking, one failure below the limit, or inconclusive).
 * - `advance` / `promote`: the verdict passed and the bake time has passed (promote on the last step).
 * - `rollback`: failureLimit consecutive failing verdicts, or one critical one.
 * - `stalled`: a hold that has been inconclusive for maxInconclusiveSeconds; it never promotes and
 *   never rolls back by itself: a person decides, or data arrives and the next verdict decides.
 */
export type StepDecision = 'hold' | 'advance' | 'promote' | 'rollback' | 'stalled';

export interface StepPolicyInput {
  verdict: Verdict;
  stepStartedAt: Date;
  now: Date;
  bakeSeconds: number;
  /** Failing verdicts in a row before this one. */
  consecutiveFailures: number;
  /** When the current run of inconclusive verdicts began, or null. */
  inconclusiveSince: Date | null;
  thresholds: Thresholds;
  isLastStep: boolean;
}

export interface StepPolicyResult {
  decision: StepDecision;
  consecutiveFailures: number;
  inconclusiveSince: Date | null;
  reason: string;
}

/**
 * Folds one verdict into the running state of a step (DESIGN.md §3).
 *
 * - fail: consecutiveFailures + 1; rollback when that reaches failureLimit or the verdict is
 *   critical (at once), else hold. A fail ends an inconclusive run (inconclusiveSince → null).
 * - pass: failures reset to 0 and inconclusiveSince to null; advance (promote on the last step)
 *   once now − stepStartedAt ≥ bakeSeconds (exactly bakeSeconds counts as baked), else hold.
 * - inconclusive: hold; never counts as a failure and does NOT reset the failure count either
 *   (as Argo Rollouts keeps consecutive counts across inconclusive runs): fail, inconclusive, fail
 *   is two consecutive failures, because the inconclusive tick brought no evidence of health.
 *   inconclusiveSince becomes now if null; once now − inconclusiveSince ≥ maxInconclusiveSeconds
 *   the decision is `stalled`.
 */
export function decideStep(input: StepPolicyInput): StepPolicyResult {
  const { verdict, now, thresholds: t } = input;
  switch (verdict.outcome) {
    case 'fail': {
      const failures = input.consecutiveFailures + 1;
      const failing = summary(verdict.checks, 'fail');
      if (verdict.critical) {
        return result(
          'rollback',
          failures,
          null,
          `critical breach, rolling back at once: ${failing}`,
        );
      }
      if (failures >= t.failureLimit) {
        return result(
          'rollback',
          failures,
          null,
          `${failures} consecutive failing verdicts (limit ${t.failureLimit}): ${failing}`,
        );
      }
      return result(
        'hold',
        failures,
        null,
        `failing verdict ${failures} of ${t.failureLimit} before rollback: ${failing}`,
      );
    }
    case 'pass': {
      const elapsed = seconds(now.getTime() - input.stepStartedAt.getTime());
      if (elapsed < input.bakeSeconds) {
        return result('hold', 0, null, `passed; baking ${elapsed} of ${input.bakeSeconds} s`);
      }
      const baked = `passed and baked ${input.bakeSeconds} s`;
      return input.isLastStep
        ? result('promote', 0, null, `${baked} on the last step: promote`)
        : result('advance', 0, null, `${baked}: advance to the next step`);
    }
    case 'inconclusive': {
      const since = input.inconclusiveSince ?? now;
      const elapsed = seconds(now.getTime() - since.getTime());
      const unclear = summary(verdict.checks, 'inconclusive');
      const failures = input.consecutiveFailures;
      if (elapsed >= t.maxInconclusiveSeconds) {
        return result(
          'stalled',
          failures,
          since,
          `stalled: inconclusive for ${elapsed} s since ${since.toISOString()} (limit ${t.maxInconclusiveSeconds} s); holding until data arrives or a person promotes or rolls back: ${unclear}`,
        );
      }
      return result(
        'hold',
        failures,
        since,
        `inconclusive for ${elapsed} s (stalls at ${t.maxInconclusiveSeconds} s): ${unclear}`,
      );
    }
    default: {
      const unknown: never = verdict.outcome;
      throw new Error(`unknown verdict outcome ${String(unknown)}`);
    }
  }
}

function result(
  decision: StepDecision,
  consecutiveFailures: number,
  inconclusiveSince: Date | null,
  reason: string,
): StepPolicyResult {
  return { decision, consecutiveFailures, inconclusiveSince, reason };
}

/** Whole seconds elapsed (floored), so "exactly bakeSeconds" is reached at that millisecond. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function summary(checks: CheckResult[], outcome: CheckResult['outcome']): string {
  const reasons = checks.filter((c) => c.outcome === outcome).map((c) => c.reason);
  return reasons.length > 0 ? reasons.join('; ') : `verdict ${outcome}`;
}
