import type { Verdict } from '../../schemas/release.js';
import {
  pairedDistribution,
  pairedErrors,
  pairedFlips,
  pairedLatency,
  pairedMean,
  type PairedContext,
} from './paired-checks.js';
import type { ReplayPair } from './pairs.js';

/**
 * Judges a shadow replay like a step: every paired check, then FAIL if any check fails, PASS if
 * all pass, INCONCLUSIVE otherwise. The window is the span of the replayed requests' log times.
 * An inconclusive replay never rolls back: the steps judge the candidate on user traffic next.
 */
export function judgeReplay(
  pairs: readonly ReplayPair[],
  ctx: PairedContext & { now: Date },
): Verdict {
  const checks = [
    pairedErrors(pairs, ctx),
    pairedLatency(pairs, ctx),
    pairedMean(pairs, ctx),
    pairedFlips(pairs, ctx),
    pairedDistribution(pairs, ctx),
  ];
  const times = pairs.map((p) => Date.parse(p.request.time));
  const at = ctx.now.toISOString();
  const outcome = checks.some((c) => c.outcome === 'fail')
    ? 'fail'
    : checks.every((c) => c.outcome === 'pass')
      ? 'pass'
      : 'inconclusive';
  return {
    outcome,
    critical: false,
    checks,
    at,
    looks: { fail: 1, pass: 1 },
    advice: null,
    window: times.length
      ? {
          start: new Date(Math.min(...times)).toISOString(),
          end: new Date(Math.max(...times)).toISOString(),
        }
      : { start: at, end: at },
  };
}
