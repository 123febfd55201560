import { describe, expect, it } from 'vitest';
import { Thresholds } from '../../shared/schemas/config.js';
import { SCENARIO_KINDS, scenariosFor } from '../../local/sim/scenarios.js';

describe('the simulated scenarios sit at the thresholds they test', () => {
  it('at the defaults and blue p95 100 ms, the 5 ms slack adds 5 points to the p95 margins', () => {
    const s = scenariosFor(Thresholds.parse({}), { p95Ms: 100 });
    expect(s.map((x) => [x.name, x.expect])).toEqual([
      ['A/A', 'promote'],
      ['good (p95 +5%, 5xx 1%, drift +10%)', 'promote'],
      ['at limit (p95 +15%, 5xx 2%, drift +20%)', 'promote'],
      ['bad p95 +30% (scaled)', 'roll back'],
      ['bad p95 +30% (tail only)', 'roll back'],
      ['bad 5xx 3%', 'roll back'],
      ['bad drift +25%', 'roll back'],
      ['gross p95 +55%', 'roll back'],
      ['gross 5xx 10%', 'roll back'],
      ['gross drift +40%', 'roll back'],
    ]);
    expect(s.map((x) => x.kind)).toEqual([...SCENARIO_KINDS]);
    expect(s[2]!.change).toEqual({ latencyScale: 1.15, tailScale: 1, errorRate: 0.02, drift: 0.2 });
    expect(s[4]!.change).toMatchObject({ latencyScale: 1, tailScale: 1.3 });
  });

  it('follow a service’s own thresholds', () => {
    const t = Thresholds.parse({
      max5xxRate: 0.01,
      p95SlackMs: 0,
      criticalMultiple: 2,
      clearlyBad: { max5xxRate: 0.02, p95Increase: 0.5, predictionDrift: 0.3 },
    });
    const s = scenariosFor(t, { p95Ms: 250 });
    expect(s[2]!.change).toMatchObject({ latencyScale: 1.1, errorRate: 0.01 });
    expect(s[3]!.name).toBe('bad p95 +50% (scaled)');
    expect(s[5]!.change.errorRate).toBe(0.02);
    expect(s[8]!.change.errorRate).toBeCloseTo(0.025, 12); // 1.25 × 1% × 2
  });
});
