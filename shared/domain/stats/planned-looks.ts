/**
 * Planned pass looks: where a step spends most of its pass α. The pass side of a step asks for
 * evidence that green is short of the clearly-bad margin; an always-valid test (mixture.ts) may
 * decide at any minute of an open-ended step, and pays for it (measured: at 5 requests/s an
 * unchanged release needs ~2.5× the requests of one test at the same α). A group-sequential
 * design with a few looks placed where the decision is likely pays far less: by the union bound,
 * looks j = 1, 2, … tested at shares of α that sum to 1 keep the chance that ANY of them passes
 * a clearly bad green at α, whatever their dependence, provided each look's place is fixed
 * without looking at green's outcomes.
 *
 * The places: look 1 where a green identical to blue is expected to pass every check with chance
 * PLANNED_POWER (checks/plan.ts: planned from blue's data and the request counts only, never from
 * green's outcomes, so each look is a stopping time of the counts), then every LOOK_GROWTH × as
 * many green requests. A tick that reaches several looks at once takes them as one look at the
 * sum of their α (one test, the same union bound).
 *
 * The shares: look 1 spends FIRST_SHARE, the later looks halve the rest (0.1, 0.05, …). A step's
 * median time is look 1's when a green like blue passes there more often than not, so look 1 gets
 * most of the α and is placed for more than an even chance: with three checks that must all pass
 * and a place planned from blue's noisy estimates, a look planned for ½ passed well under half
 * of the time, and the step's median fell to a later, poorer look (measured in local/sim at 5
 * requests/s, blue 5xx 1.5 %, σ 1.0, 1000 releases, lag 180 s: the median release took 44 min
 * with look 1 at ½ of the planned α and each check planned for ½, 38 with 0.8 planned for 0.6).
 */

/** The share of the planned α look 1 spends; the later looks halve what is left. */
export const FIRST_SHARE = 0.8;

/** Green requests grow by this factor from one planned look to the next. */
export const LOOK_GROWTH = Math.SQRT2;

/** The place of look 1 (green requests) and how many looks the step has taken. */
export interface PassLooks {
  first: number;
  taken: number;
}

/** The share of the planned α the j-th look spends: FIRST_SHARE, then (1 − FIRST_SHARE)·2^−(j−1); 1 over all looks. */
export function lookShare(look: number): number {
  const j = Math.max(1, Math.floor(look));
  return j === 1 ? FIRST_SHARE : (1 - FIRST_SHARE) * 2 ** -(j - 1);
}

/** This tick's look: 0 and no share when no look is due, else the last look reached and the sum of the shares of every look reached. */
export interface PassLook {
  index: number;
  share: number;
  /** The share the next look will spend (what a projection plans for). */
  upcoming: number;
  /** Green requests at which the next look is due (null: not planned yet). */
  nextAt: number | null;
  looks: PassLooks;
}

/** Which planned look, if any, a tick with `greenRequests` is. */
export function passLookAt(plan: PassLooks, greenRequests: number): PassLook {
  const due = (j: number) => plan.first * LOOK_GROWTH ** (j - 1);
  let index = plan.taken;
  let share = 0;
  while (greenRequests >= due(index + 1) && index < MAX_LOOKS) {
    index += 1;
    share += lookShare(index);
  }
  const looks = { ...plan, taken: index };
  return {
    index: share > 0 ? index : 0,
    share,
    upcoming: lookShare(index + 1),
    nextAt: due(index + 1),
    looks,
  };
}

/** 2^−60 of α is nothing any test could use; the loop stops there. */
const MAX_LOOKS = 60;
