import { describe, expect, it } from 'vitest';
import { decisionFloor } from '../../local/sim/feasibility.js';
import { parseConfig } from '../../shared/config/load.js';

const service = parseConfig({
  services: [{ service: 'projects/p/locations/l/services/s', image: 'r.pkg.dev/p/r/s' }],
}).services[0]!;
const cell = (rps: number, baseline5xx = 0.005, sigma = 0.5) => ({
  rps,
  baseline5xx,
  sigma,
  p95Ms: 100,
});

describe('the decision floor: the best valid judge, knowing both revisions', () => {
  it('at 50 requests/s an A/A release is held only by lag and bake: 4 steps × (4 + 2) min', () => {
    expect(decisionFloor(service, cell(50), 'aa')).toEqual({ minutes: 24, by: 'lag and bake' });
  });

  it('at 5 requests/s the first step waits for the 5xx pass: 27 min', () => {
    // KL(0.5 % ‖ 3 %) = 0.005·ln(1/6) + 0.995·ln(0.995/0.97) = 0.016359 nats a request, so
    // ln(1/passAlpha) = ln 10 needs 140.8 requests: 4.69 min at 30 a minute, after the 4 min lag
    // → 9 min. Later steps have enough (270 requests by then; promoteAlpha's ln 100 needs 281.5,
    // reached at the 25 % step): lag + bake each → 9 + 6 + 6 + 6.
    expect(decisionFloor(service, cell(5), 'aa')).toEqual({ minutes: 27, by: 'error-rate' });
  });

  it('a gross 5xx rate fails at 8 min: 62.9 requests past 2 %, then the confirming look', () => {
    // KL(10 % ‖ 2 %) = 0.1·ln 5 + 0.9·ln(0.9/0.98) = 0.08430; ln(1/failAlpha) = ln 200 = 5.298
    // → 62.9 requests = 2.1 min at 30 a minute: ceil(4 + 2.1) = 7, + 1 for failureLimit 2. The
    // critical test (above 8 %) needs KL(10 % ‖ 8 %) = 0.00253 → 2092 requests: slower here.
    expect(decisionFloor(service, cell(5), 'gross-5xx')).toEqual({
      minutes: 8,
      by: 'error-rate',
    });
  });

  it('σ 1 makes p95 the slow check: an exceedance of 8.9 % against 5 % at 19 min', () => {
    // green = blue × 1.55; above blue p95 × 1.1 + 5 ms = 115 ms: P(Z > 1.6449 + ln(115/155)) =
    // 8.91 %; KL(8.91 % ‖ 5 %) = 0.01319 → ln 200 / 0.01319 = 402 requests = 13.4 min at 30 a
    // minute: ceil(4 + 13.4) = 18, + 1 confirming look.
    expect(decisionFloor(service, cell(5, 0.005, 1), 'gross-p95')).toEqual({
      minutes: 19,
      by: 'p95-latency',
    });
  });

  it('never, when no amount of data can tell green from the clearly-bad margin', () => {
    // blue (and so an A/A green) already at the clearly-bad 3 %: a pass has no evidence to find
    expect(decisionFloor(service, cell(5, 0.03), 'aa')).toEqual({
      minutes: Infinity,
      by: 'error-rate',
    });
  });
});
