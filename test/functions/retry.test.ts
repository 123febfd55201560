import { afterEach, describe, expect, it } from 'vitest';
import { Harness, REPO, SERVICE, deliver, digestOf, healthy } from './harness.js';

let h: Harness;
afterEach(() => h?.stop());

const EVENTS = 'cutover-deployment-events';
const V2 = `${REPO}@${digestOf(2)}`;
const push = (n: number, tag: string) =>
  deliver('provisionGreen', 'gcr', {
    action: 'INSERT',
    digest: `${REPO}@${digestOf(n)}`,
    tag: `${REPO}:${tag}`,
  });
let ticks = 0;
const tick = () =>
  deliver('advanceRelease', EVENTS, {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++ticks)).toISOString(),
  });
const retry = (extra: Record<string, unknown> = {}, id?: string) =>
  deliver(
    'advanceRelease',
    EVENTS,
    { type: 'operator.retry', service: SERVICE, requestedBy: 'ana@example.com', ...extra },
    id ? { id } : {},
  );
const record = async () => (await h.view()).record!;

/** v2 fails its smoke test (500s): rolled back, its digest marked failed. */
async function failedV2(): Promise<void> {
  h.behaviours.set('green', { status: 500, body: { error: 'boom' } });
  await push(2, '2.0.0');
  h.seed((await record()).release!.candidate.revision, { requests: 5 });
  await tick();
  expect((await record()).release).toMatchObject({ phase: 'rolled-back', trigger: 'smoke' });
  expect((await record()).failedImages).toEqual([V2]);
}

describe('cutover retry (operator.retry on the deployment-events topic)', () => {
  it('a failed image is ignored on a re-push, and released again after a retry, recorded with the actor', async () => {
    h = await Harness.start();
    await failedV2();
    await push(2, '2.0.0');
    expect((await record()).release).toMatchObject({ phase: 'rolled-back' });

    h.behaviours.set('green', healthy); // the cause was fixed (a secret, a flag…)
    expect(await retry()).toBe(204);
    const after = await record();
    expect(after.failedImages).toEqual([]);
    expect(after.release).toMatchObject({
      phase: 'smoke-testing',
      tag: '2.0.0',
      requestedBy: 'ana@example.com',
      candidate: { image: V2 },
    });
    expect(after.actions?.[0]).toMatchObject({ action: 'retry', by: 'ana@example.com' });
    h.seed(after.release!.candidate.revision, { requests: 5 });
    await tick();
    expect((await record()).release?.phase).toBe('shifting');
  });

  it('a retry redelivered (same message) starts one release', async () => {
    h = await Harness.start();
    await failedV2();
    h.behaviours.set('green', healthy);
    await Promise.all([retry({}, 'retry-1'), retry({}, 'retry-1'), retry({}, 'retry-1')]);
    expect(h.eventTypes().filter((t) => t === 'release.provisioned')).toHaveLength(2);
    expect((await record()).history.map((e) => e.phase)).toEqual(['rolled-back']);
  });

  it('is refused while a release is active: nothing changes', async () => {
    h = await Harness.start();
    await failedV2();
    await push(3, '3.0.0');
    const before = await record();
    expect(await retry({ image: digestOf(2) })).toBe(204);
    const after = await record();
    expect(after.release?.id).toBe(before.release?.id);
    expect(after.failedImages).toEqual([V2]);
    expect(h.logs.entries.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^retry refused: release .* \(3\.0\.0\) is still smoke-testing/),
    );
  });
});
