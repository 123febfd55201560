import { describe, expect, it } from 'vitest';
import { p95Reach } from '../../local/sim/p95-reach.js';
import { parseConfig } from '../../shared/config/load.js';

const service = parseConfig({
  services: [{ service: 'projects/p/locations/l/services/s', image: 'r.pkg.dev/p/r/s' }],
}).services[0]!;
const reach = (sigma: number, minutes: number) =>
  p95Reach({
    config: service,
    cell: { rps: 5, baseline5xx: 0.005, sigma, p95Ms: 100 },
    minutes,
    levels: [0.05, 0.01],
    releases: 2000,
    seed: 3,
  });

describe('p95 reach: the best single look of the p95 fail test, blue estimated', () => {
  it('labels each row by minutes since the step began: evidence minutes plus the 180 s lag', () => {
    const rows = reach(1, 3);
    expect(rows.map((r) => [r.minute, r.level])).toEqual([
      [4, 0.05],
      [4, 0.01],
      [5, 0.05],
      [5, 0.01],
      [6, 0.05],
      [6, 0.01],
    ]);
    // 10 % of 5 requests/s: 30 green requests a minute of evidence
    expect(rows.map((r) => r.green)).toEqual([30, 30, 60, 60, 90, 90]);
  });

  it('holds each level at both greens at the limit, and gains power with the level and the minutes', () => {
    const rows = reach(1, 6);
    for (const r of rows) expect(r.atLimit).toBeLessThanOrEqual(r.level);
    for (const r of rows.filter((r) => r.level === 0.05)) expect(r.atLimit).toBeGreaterThan(0.04);
    const at = (minute: number, level: number) =>
      rows.find((r) => r.minute === minute && r.level === level)!.power;
    for (let minute = 4; minute <= 9; minute++)
      expect(at(minute, 0.05)).toBeGreaterThan(at(minute, 0.01));
    expect(at(9, 0.05)).toBeGreaterThan(at(5, 0.05) + 0.2);
  });

  it('at σ 1.0 even the whole failAlpha at minute 8 catches a gross green little more than half the time; at σ 0.5 by minute 5', () => {
    const minute8 = reach(1, 5).filter((r) => r.minute === 8);
    const whole = minute8.find((r) => r.level === 0.05)!;
    expect(whole.power).toBeGreaterThan(0.5);
    expect(whole.power).toBeLessThan(0.7);
    expect(minute8.find((r) => r.level === 0.01)!.power).toBeLessThan(0.45);
    const narrow = reach(0.5, 2).find((r) => r.minute === 5 && r.level === 0.05)!;
    expect(narrow.power).toBeGreaterThan(0.8);
  });
});
