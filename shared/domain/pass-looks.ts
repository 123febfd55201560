import type { Thresholds } from '../schemas/config.js';
import type { CheckName, Step, Verdict } from '../schemas/release.js';
import { overall } from './analysis.js';
import { plannedPassRequests } from './checks/plan.js';
import { requestsOf, type RevisionMetrics } from './measurement.js';
import { lookShare, passLookAt, type PassLook } from './stats/planned-looks.js';

/**
 * This tick's planned pass look for a step (stats/planned-looks.ts).
 * - Before the bake is done there is none: a pass then only holds, so it spends nothing.
 * - Until look 1 is taken, its place is planned anew each tick from blue's data and the counts
 *   (checks/plan.ts) — never from green's outcomes — and it is taken at the first baked tick with
 *   at least that many green requests. A step that already has them (the later steps, which
 *   pool every step's evidence; a busy service) takes look 1 at once.
 * - From look 1 on, the places are fixed (`step.passLooks`), so no look is taken twice.
 */
export function stepPassLook(input: {
  step: Step;
  blue: RevisionMetrics;
  green: RevisionMetrics;
  thresholds: Thresholds;
  /** The α of look 1: where the plan puts it depends on it. */
  firstAlpha: number;
  relative: boolean;
  baked: boolean;
}): PassLook {
  const taken = input.step.passLooks;
  const idle = (looks: PassLook['looks'] | undefined): PassLook => ({
    index: 0,
    share: 0,
    upcoming: lookShare((looks?.taken ?? 0) + 1),
    nextAt: looks ? passLookAt(looks, 0).nextAt : null,
    looks: looks ?? { first: 0, taken: 0 },
  });
  if (!input.baked) return idle(taken);
  const n = requestsOf(input.green) ?? 0;
  if (taken) return passLookAt(taken, n);
  if (n <= 0) return idle(undefined);
  const planned = plannedPassRequests(
    input.blue,
    input.green,
    input.thresholds,
    input.firstAlpha,
    input.relative,
  );
  return passLookAt({ first: Math.max(n, planned ?? n), taken: 0 }, n);
}

/**
 * A check that passed at this step stays passed for the rest of it, unless it fails: the step
 * moves on once every blocking check has passed at SOME look of the step, not all at the same
 * tick. This keeps every bound: the chance that a clearly bad check passes at some look of the
 * step is what the union bound over the planned looks and Ville's inequality for the mixture
 * bound, whether or not the pass is held afterwards. The fail side is not held back: a fail at
 * any tick still fails. Held passes say so in their reason.
 */
export function holdPasses(
  verdict: Verdict,
  passed: readonly CheckName[],
): { verdict: Verdict; passed: CheckName[] } {
  const held = new Set(passed);
  const checks = verdict.checks.map((c) => {
    if (c.outcome === 'pass') held.add(c.check);
    if (c.outcome !== 'inconclusive' || !passed.includes(c.check)) return c;
    return {
      ...c,
      outcome: 'pass' as const,
      reason: `passed earlier in this step, held (a fail would still count): now ${c.reason}`,
    };
  });
  return {
    verdict: { ...verdict, checks, outcome: overall(checks) },
    passed: [...held],
  };
}
