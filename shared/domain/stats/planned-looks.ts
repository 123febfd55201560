/**
 * Planned pass looks: where a step spends most of its pass α. The pass side of a step asks for
 * evidence that green is short of the clearly-bad margin; an always-valid test (mixture.ts) may
 * decide at any minute of an open-ended step, and pays for it (measured: at 5 requests/s an
 * unchanged release needs ~2.5× the requests of one test at the same α). A group-sequential
 * design with a few looks placed where the decision is likely pays far less: by the union bound,
 * looks j = 1, 2, … tested at α·2^−j keep the chance that ANY of them passes a clearly bad green
 * at α, whatever their dependence, provided each look's place is fixed without looking at
 * green's outcomes.
 *
 * The places: look 1 where a green identical to blue is expected to pass with chance ½
 * (checks/plan.ts: planned from blue's data and the request counts only, never from green's
 * outcomes, so each look is a stopping time of the counts), then every LOOK_GROWTH × as many
 * green requests — a growth that keeps each later look's power under that plan about where the
 * first one's was, as its α halves. A tick that reaches several looks at once takes them as one
 * look at the sum of their α (one test, the same union bound).
 */

/** Green requests grow by this factor from one planned look to the next. */
export const LOOK_GROWTH = Math.SQRT2;

/** The place of look 1 (green requests) and how many looks the step has taken. */
export interface PassLooks {
  first: number;
  taken: number;
}

/** The share of the planned α the j-th look spends: 2^−j, which sums to 1 over all looks. */
export function lookShare(look: number): number {
  return 2 ** -Math.max(1, Math.floor(look));
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
