import { describe, expect, it } from 'vitest';
import { decisionFloors } from '../../local/sim/feasibility.js';
import { parseConfig } from '../../shared/config/load.js';

// failAlpha 0.005 and failureLimit 2 (the defaults were 0.005 and 2 before the pass side moved to
// planned looks): the fail-side numbers below were checked at those, with the confirming look;
// and a 240 s lag (the default was 240 before it became Cloud Run's documented 180).
const service = parseConfig({
  services: [
    {
      service: 'projects/p/locations/l/services/s',
      image: 'r.pkg.dev/p/r/s',
      monitoringLagSeconds: 240,
      thresholds: { failAlpha: 0.005, failureLimit: 2 },
    },
  ],
}).services[0]!;
const cell = (rps: number, baseline5xx = 0.005, sigma = 0.5) => ({
  rps,
  baseline5xx,
  sigma,
  p95Ms: 100,
});

// Sample sizes checked with scipy: the randomised Neyman–Pearson power from binom.sf / binom.pmf
// at each n, the first n whose power reaches ½; KL by hand.
describe('the decision floors: judges that know both revisions', () => {
  it('at 50 requests/s an A/A release is held only by lag and bake: 4 steps × (4 + 2) min', () => {
    const floors = decisionFloors(service, cell(50), 'aa');
    expect(floors.median).toEqual({ minutes: 24, by: 'lag and bake' });
    expect(floors.anytime).toEqual({ minutes: 24, by: 'lag and bake' });
  });

  it('at 5 requests/s the first step waits for the 5xx pass', () => {
    const floors = decisionFloors(service, cell(5), 'aa');
    // median: the level-0.1 test of 3 % against 0.5 % reaches power ½ at n = 64 (scipy):
    // 2.13 min at 30 a minute, after the 4 min lag → 7 min; later steps lag + bake → 7 + 6 + 6 + 6.
    expect(floors.median).toEqual({ minutes: 25, by: 'error-rate' });
    // anytime: KL(0.5 % ‖ 3 %) = 0.005·ln(1/6) + 0.995·ln(0.995/0.97) = 0.016359 nats a request,
    // so ln(1/passAlpha) = ln 10 needs 140.8 requests: 4.69 min → 9 min. Later steps have enough
    // (promoteAlpha's ln 100 needs 281.5, reached at the 25 % step): 9 + 6 + 6 + 6.
    expect(floors.anytime).toEqual({ minutes: 27, by: 'error-rate' });
  });

  it('a gross 5xx rate fails at 7 (median) and 8 (anytime) min, with the confirming look', () => {
    const floors = decisionFloors(service, cell(5), 'gross-5xx');
    // level-0.005 test of 2 % against 10 %: power ½ at n = 43 → ceil(4 + 1.43) = 6, + 1 look
    expect(floors.median).toEqual({ minutes: 7, by: 'error-rate' });
    // KL(10 % ‖ 2 %) = 0.1·ln 5 + 0.9·ln(0.9/0.98) = 0.08430; ln 200 = 5.298 → 62.9 requests
    // = 2.1 min: ceil(4 + 2.1) = 7, + 1. The critical test (above 8 %) needs n = 1312: slower.
    expect(floors.anytime).toEqual({ minutes: 8, by: 'error-rate' });
  });

  it('σ 1 makes p95 the slow check: an exceedance of 8.9 % against 5 %', () => {
    // green = blue × 1.55; above blue p95 × 1.1 + 5 ms = 115 ms: P(Z > 1.6449 + ln(115/155)) =
    // 8.909 %. Median: power ½ at n = 253 → ceil(4 + 8.43) = 13, + 1. Anytime: KL(8.91 % ‖ 5 %) =
    // 0.01319 → ln 200 / 0.01319 = 402 requests = 13.4 min → ceil(17.4) = 18, + 1.
    const floors = decisionFloors(service, cell(5, 0.005, 1), 'gross-p95');
    expect(floors.median).toEqual({ minutes: 14, by: 'p95-latency' });
    expect(floors.anytime).toEqual({ minutes: 19, by: 'p95-latency' });
  });

  it('never, when no amount of data can tell green from the clearly-bad margin', () => {
    // blue (and so an A/A green) already at the clearly-bad 3 %: a pass has no evidence to find
    const floors = decisionFloors(service, cell(5, 0.03), 'aa');
    expect(floors.median).toEqual({ minutes: Infinity, by: 'error-rate' });
    expect(floors.anytime).toEqual({ minutes: Infinity, by: 'error-rate' });
  });
});
