import { describe, expect, it } from 'vitest';
import { parseKnobs } from '../../cli/local-push.js';
import { renderStatus, trafficBar } from '../../cli/status-view.js';
import { resolveService, TargetError } from '../../cli/target.js';
import { parseConfig } from '../../shared/config/load.js';
import type { ServiceView } from '../../shared/ports/service-platform.js';

const SERVICE = 'projects/cutover-demo/locations/us-central1/services/leakage-model';
const IMAGE = 'us-central1-docker.pkg.dev/cutover-demo/models/leakage-model';
const config = parseConfig({ services: [{ service: SERVICE, image: IMAGE }] });
const two = parseConfig({
  services: [
    { service: SERVICE, image: IMAGE },
    { service: 'projects/other/locations/europe-west1/services/leakage-model', image: IMAGE },
  ],
});

describe('resolveService', () => {
  it.each([
    ['a full name, without a config', SERVICE, null, SERVICE],
    ['a bare id in the config', 'leakage-model', config, SERVICE],
    ['nothing, with one configured service', undefined, config, SERVICE],
  ])('resolves %s', (_what, ref, cfg, expected) => {
    expect(resolveService(ref, cfg)).toBe(expected);
  });

  it.each([
    ['a bare id without a config', 'leakage-model', null, /nothing resolves it/],
    ['an unknown id', 'nosuch', config, /not in the config/],
    ['an id two services share', 'leakage-model', two, /name it in full/],
    ['nothing, with two services', undefined, two, /name the service/],
  ])('refuses %s', (_what, ref, cfg, message) => {
    expect(() => resolveService(ref, cfg)).toThrow(TargetError);
    expect(() => resolveService(ref, cfg)).toThrow(message);
  });
});

describe('cutover status rendering', () => {
  const at = '2026-03-01T12:00:00.000Z';
  const view: ServiceView = {
    name: SERVICE,
    etag: '"e"',
    latestReadyRevision: 'lm-2',
    latestCreatedRevision: 'lm-2',
    uri: 'http://127.0.0.1:1',
    traffic: [
      { revision: 'lm-1', percent: 75, tag: 'blue', url: 'http://127.0.0.1:2' },
      { revision: 'lm-2', percent: 25, tag: 'green', url: 'http://127.0.0.1:3' },
    ],
    written: [
      { revision: 'lm-1', percent: 75, tag: 'blue' },
      { revision: 'lm-2', percent: 25, tag: 'green' },
    ],
    record: {
      stable: { revision: 'lm-1', image: `${IMAGE}@sha256:a`, color: 'blue' },
      failedImages: [],
      history: [],
      release: {
        id: 'r1',
        tag: '2.0.0',
        startedAt: at,
        candidate: { revision: 'lm-2', image: `${IMAGE}@sha256:b`, color: 'green' },
        phase: 'shifting',
        step: { index: 1, percent: 25, startedAt: at, previousStartedAt: null },
        consecutiveFailures: 0,
        inconclusiveSince: null,
        stalled: false,
        paused: true,
        lastVerdict: {
          outcome: 'fail',
          critical: false,
          at,
          window: { start: at, end: at },
          looks: { fail: 3, pass: 1 },
          advice: null,
          checks: [
            {
              check: 'error-rate',
              outcome: 'fail',
              observed: 0.05,
              baseline: 0,
              limit: 0.02,
              samples: 200,
              critical: false,
              interval: { lower: 0.031, upper: 0.083 },
              boundary: 'fail: lower bound 3.10% > limit 2.00%',
              needed: null,
              blocking: true,
              reason: '5xx rate 5.00% > 2.00%',
            },
          ],
        },
      },
    },
  };

  it('shows the split as a bar, the step of the steps, the pause and the verdict numbers', () => {
    const text = renderStatus(view, [10, 25, 50, 100]).join('\n');
    expect(text).toContain(trafficBar(75, 25));
    expect(text).toContain('green  25%  lm-2');
    expect(text).toContain('step 2/4 at 25%');
    expect(text).toContain('[paused]');
    expect(text).toContain('green 5.00% vs blue 0.00%, limit 2.00%, 200 samples');
  });

  it("shows what holds the release and a person's request not carried out yet, with its fix", () => {
    const release = {
      ...view.record!.release!,
      holds: [{ id: 'request:pause', reason: 'pause by ana could not be carried out', since: at }],
    };
    const text = renderStatus(
      {
        ...view,
        record: {
          ...view.record!,
          release,
          held: {
            request: { type: 'pause' },
            requestedBy: 'ana',
            since: at,
            attempts: 3,
            error: 'UpdateService failed with PERMISSION_DENIED: denied',
            fix: 'grant the role; cutover retries it on every tick',
          },
        } as ServiceView['record'],
      },
      null,
    ).join('\n');
    expect(text).toContain(`hold      pause by ana could not be carried out (since ${at})`);
    expect(text).toContain(
      `held      pause by ana not carried out yet (3 attempts since ${at}): UpdateService failed with PERMISSION_DENIED: denied`,
    );
    expect(text).toContain('fix       grant the role; cutover retries it on every tick');
  });

  it('shows the share each side served beside the split written, and why a release ended aborted', () => {
    const release = view.record!.release as Extract<
      NonNullable<NonNullable<ServiceView['record']>['release']>,
      { phase: 'shifting' }
    >;
    const served = {
      ...release,
      lastVerdict: {
        ...release.lastVerdict!,
        traffic: {
          written: { stable: 75, candidate: 25 },
          served: { stable: 52.9, candidate: 47.1 },
          requests: { stable: 37, candidate: 33 },
        },
      },
    };
    const shifting = renderStatus({ ...view, record: { ...view.record!, release: served } }, null);
    expect(shifting).toContain(
      'served    stable 52.9% / candidate 47.1% of 70 requests (written 75% / 25%)',
    );
    const aborted = renderStatus(
      {
        ...view,
        record: {
          ...view.record!,
          release: {
            id: 'r1',
            tag: '2.0.0',
            startedAt: at,
            candidate: release.candidate,
            phase: 'aborted',
            endedAt: at,
            reason: 'the traffic split was changed outside cutover',
            lastVerdict: null,
          },
        },
      },
      null,
    ).join('\n');
    expect(aborted).toContain(
      `phase     aborted at ${at} (the traffic split was changed outside cutover)`,
    );
  });

  it('draws blue and green shares to scale', () => {
    expect(trafficBar(75, 25)).toBe(`blue ${'█'.repeat(30)}${'░'.repeat(10)} green`);
  });

  it('reads a service cutover never released as blue', () => {
    const text = renderStatus(
      {
        ...view,
        record: null,
        traffic: [{ revision: 'lm-1', percent: 100, tag: null, url: null }],
      },
      null,
    ).join('\n');
    expect(text).toContain(trafficBar(100, 0));
    expect(text).toContain('release   none');
  });
});

describe('local-push knobs', () => {
  it('reads KEY=VALUE pairs and refuses anything else', () => {
    expect(parseKnobs(['EXTRA_LATENCY_MS=80', 'X=a=b'])).toEqual({
      EXTRA_LATENCY_MS: '80',
      X: 'a=b',
    });
    expect(() => parseKnobs(['=1'])).toThrow('--set expects KEY=VALUE');
  });
});
