import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { ConfigError } from '../../shared/errors.js';

const sample = JSON.parse(
  readFileSync(new URL('../../examples/cutover.config.json', import.meta.url), 'utf8'),
);
const minimal = {
  services: [
    {
      service: 'projects/p/locations/us-central1/services/svc',
      image: 'us-central1-docker.pkg.dev/p/r/img',
    },
  ],
};

function issuesOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('config', () => {
  it('accepts the sample config in examples/', () => {
    expect(parseConfig(sample).services[0]?.steps).toEqual([10, 25, 50, 100]);
  });

  it('fills every default of DESIGN.md §3 from a minimal entry', () => {
    const svc = parseConfig(minimal).services[0]!;
    expect(svc.thresholds).toEqual({
      max5xxRate: 0.02,
      minRequests: 50,
      minPredictions: 30,
      p95Tolerance: 0.1,
      p95SlackMs: 5,
      maxPredictionDrift: 0.2,
      clearlyBad: { max5xxRate: 0.03, p95Increase: 0.25, predictionDrift: 0.25 },
      failAlpha: 0.005,
      passAlpha: 0.1,
      failureLimit: 2,
      criticalMultiple: 4,
      maxInconclusiveSeconds: 3600,
    });
    expect(svc.tags.ignore).toContain('rollback-*');
    expect(svc.tags.ignore).toEqual(expect.arrayContaining(['*.sig', '*.att']));
    expect(svc.onPushDuringRelease).toBe('supersede');
  });

  it.each([
    [[10, 5, 100], 'services.0.steps: steps must rise and end at 100'],
    [[10, 50], 'services.0.steps: steps must rise and end at 100'],
    [[0, 100], 'services.0.steps.0: must be at least 1'],
  ])('rejects steps %j naming the field', (steps, message) => {
    expect(issuesOf({ services: [{ ...minimal.services[0], steps }] })).toContain(message);
  });

  it.each([
    [
      { clearlyBad: { max5xxRate: 0.02 } },
      'services.0.thresholds.clearlyBad.max5xxRate: clearlyBad.max5xxRate must be above max5xxRate',
    ],
    [
      { p95Tolerance: 0.3 },
      'services.0.thresholds.clearlyBad.p95Increase: clearlyBad.p95Increase must be above p95Tolerance',
    ],
    [{ failAlpha: 0 }, 'services.0.thresholds.failAlpha: must be between 0 and 0.5 (exclusive)'],
    [{ clearlyBad: { p95: 0.3 } }, 'services.0.thresholds.clearlyBad: Unrecognized key: "p95"'],
  ])('rejects thresholds %j naming the field', (thresholds, message) => {
    expect(issuesOf({ services: [{ ...minimal.services[0], thresholds }] })).toContain(message);
  });

  it('names a short service name and a tagged image', () => {
    const issues = issuesOf({ services: [{ service: 'svc', image: 'host/p/r/img:1.0' }] });
    expect(
      issues.some((i) => i.startsWith('services.0.service: must be a full Cloud Run service name')),
    ).toBe(true);
    expect(
      issues.some((i) => i.startsWith('services.0.image: must be an image reference without tag')),
    ).toBe(true);
  });

  it('rejects unknown fields, so a typo is not silently ignored', () => {
    expect(issuesOf({ services: [{ ...minimal.services[0], bakeSecond: 5 }] })[0]).toMatch(
      /^services\.0: Unrecognized key/,
    );
  });

  it('rejects a threshold out of range', () => {
    expect(
      issuesOf({ services: [{ ...minimal.services[0], thresholds: { max5xxRate: 2 } }] }),
    ).toContain('services.0.thresholds.max5xxRate: must be between 0 and 1');
  });
});
