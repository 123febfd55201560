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
      failAlpha: 0.05,
      passAlpha: 0.1,
      promoteAlpha: 0.01,
      failureLimit: 1,
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

describe('config: Cloud Run limits and Google defaults', () => {
  const withService = (id: string) => ({
    services: [
      { ...minimal.services[0], service: `projects/p/locations/us-central1/services/${id}` },
    ],
  });

  it('refuses a 42-character service id, naming the 46-character tag limit', () => {
    const id = `s${'x'.repeat(41)}`;
    expect(id).toHaveLength(42);
    expect(issuesOf(withService(id))).toEqual([
      `services.0.service: service id "${id}" has 42 characters; at most 41 fit: Cloud Run allows a traffic tag and the service name 46 characters together, and cutover tags revisions "blue" and "green"`,
    ]);
  });

  it('accepts a 41-character service id (green + 41 = 46)', () => {
    expect(issuesOf(withService(`s${'x'.repeat(40)}`))).toEqual([]);
  });

  it('refuses a service id ending in a hyphen, as Cloud Run does', () => {
    expect(issuesOf(withService('svc-'))[0]).toMatch(/^services\.0\.service: must be a full/);
  });

  it('defaults monitoringLagSeconds to 180, Cloud Run\'s "not visible for up to 180 seconds"', () => {
    expect(parseConfig(minimal).services[0]?.monitoringLagSeconds).toBe(180);
  });
});

describe('config: the reserved rollback- prefix', () => {
  const withInclude = (include: string[]) => ({
    services: [{ ...minimal.services[0], tags: { include } }],
  });

  it.each(['rollback-*', 'rollback*', 'rollback-2026*', 'rollback-20260101T000000Z'])(
    'refuses the include pattern %s, saying why',
    (pattern) => {
      expect(issuesOf(withInclude(['v*', pattern]))).toEqual([
        `services.0.tags.include.1: include pattern "${pattern}" names rollback-, the prefix of cutover's own rollback tags (put on the previous stable at each promotion); a push of such a tag never starts a release, so this pattern could never release anything: remove it, or tag the images to release differently`,
      ]);
    },
  );

  it.each(['*', 'roll*', 'rollbacks-*', 'rollback', 'v*'])(
    'accepts %s (it is not written for the prefix)',
    (pattern) => {
      expect(issuesOf(withInclude([pattern]))).toEqual([]);
    },
  );
});

describe('config: internal ingress needs the functions’ VPC egress', () => {
  const internal = (extra: object = {}) => ({
    ...extra,
    services: [{ ...minimal.services[0], ingress: 'internal' }],
  });

  it('refuses an internal service without functionsVpcEgress, saying why and what to set', () => {
    const [issue] = issuesOf(internal());
    expect(issue).toMatch(
      /^services\.0\.ingress: ingress "internal": cutover's functions must reach/,
    );
    expect(issue).toContain('set functionsVpcEgress {network, subnetwork, egress: "all-traffic"}');
  });

  it('refuses private-ranges-only egress for an internal service', () => {
    const egress = { network: 'n', subnetwork: 's', egress: 'private-ranges-only' };
    expect(issuesOf(internal({ functionsVpcEgress: egress }))[0]).toContain(
      'functionsVpcEgress.egress must be "all-traffic"',
    );
  });

  it('accepts an internal service with Direct VPC egress of all traffic', () => {
    const egress = { network: 'projects/p/global/networks/n', subnetwork: 's' };
    const config = parseConfig(internal({ functionsVpcEgress: egress }));
    expect(config.functionsVpcEgress?.egress).toBe('all-traffic');
    expect(config.services[0]?.ingress).toBe('internal');
  });
});
