import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import { retryTarget } from '../../shared/domain/release-retry.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const ref = (n: number) => `${REPO}@sha256:${String(n).repeat(64)}`;
const config = parseConfig({ services: [{ service: SERVICE, image: REPO, steps: [100] }] })
  .services[0]!;
const now = new Date('2026-12-01T10:00:00Z');
const step = (record: ServiceRecord, input: Parameters<typeof transition>[1]) =>
  transition(record, input, { config, now }).record;

const fresh = initialRecord({ revision: 'leakage-00001', image: ref(1) });
const started = step(fresh, { type: 'push', releaseId: 'r2', image: ref(2), tag: '2.0.0' });
const failed = step(started, { type: 'candidate-failed', releaseId: 'r2', reason: 'exit 1' });
const aborted = step(step(failed, { type: 'push', releaseId: 'r3', image: ref(3), tag: '3.0.0' }), {
  type: 'abort',
  releaseId: 'r3',
  reason: 'no progress',
});

describe('retryTarget', () => {
  it.each([
    ['no record', null, undefined, /not released this service yet/],
    ['an active release', started, undefined, /release r2 \(2\.0\.0\) is still provisioning/],
    ['nothing failed', fresh, undefined, /nothing to retry/],
    [
      'an image that never failed',
      failed,
      `sha256:${'4'.repeat(64)}`,
      /neither failed nor was aborted/,
    ],
    ['the stable', { ...failed, failedImages: [ref(1)] }, ref(1), /already the stable image/],
  ])('refuses %s, saying why', (_what, record, image, why) => {
    const t = retryTarget(record, image);
    expect(t.kind).toBe('refused');
    expect(t.kind === 'refused' && t.reason).toMatch(why);
  });

  it('defaults to the newest failed or aborted release, with its tag when it is the last one', () => {
    expect(retryTarget(failed)).toEqual({ kind: 'retry', image: ref(2), tag: '2.0.0' });
    expect(retryTarget(aborted)).toEqual({ kind: 'retry', image: ref(3), tag: '3.0.0' });
  });

  it('takes a digest, an older release (its tag then unknown) or a bare failed digest', () => {
    expect(retryTarget(aborted, `sha256:${'2'.repeat(64)}`)).toEqual({
      kind: 'retry',
      image: ref(2),
      tag: null,
    });
    const bare = { ...fresh, failedImages: [`sha256:${'5'.repeat(64)}`] };
    expect(retryTarget(bare)).toMatchObject({ kind: 'refused' });
    expect(retryTarget(bare, `sha256:${'5'.repeat(64)}`)).toEqual({
      kind: 'retry',
      image: ref(5),
      tag: null,
    });
  });
});

describe('the retry transition', () => {
  it('clears the image from the failed list, starts a release recording who asked', () => {
    const t = transition(
      failed,
      { type: 'retry', releaseId: 'r4', image: ref(2), tag: '2.0.0', requestedBy: 'ana' },
      { config, now },
    );
    expect(t.ignored).toBeNull();
    expect(t.record.failedImages).toEqual([]);
    expect(t.record.release).toMatchObject({ id: 'r4', phase: 'provisioning', requestedBy: 'ana' });
    expect(t.record.actions?.[0]).toMatchObject({ action: 'retry', by: 'ana', releaseId: 'r4' });
    expect(t.commands[0]).toMatchObject({ kind: 'update-service', deploy: { image: ref(2) } });
  });

  it('changes nothing while a release is active', () => {
    const t = transition(
      started,
      { type: 'retry', releaseId: 'r4', image: ref(2), tag: '2.0.0', requestedBy: 'ana' },
      { config, now },
    );
    expect(t.ignored).toMatch(/release r2 is still provisioning/);
  });
});
