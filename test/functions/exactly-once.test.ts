import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { minuteSlot } from '../../shared/domain/deliveries.js';
import { Harness, REPO, SERVICE, deliver, digestOf } from './harness.js';

let h: Harness;
afterEach(() => h?.stop());

const EVENTS = 'cutover-deployment-events';
const UPDATE = 'google.cloud.run.v2.Services/UpdateService';
let minute = 0;
const nextSlot = () => new Date(Date.UTC(2026, 0, 1, 0, ++minute)).toISOString();

const push = (n: number, tag: string, id?: string) =>
  deliver(
    'provisionGreen',
    'gcr',
    { action: 'INSERT', digest: `${REPO}@${digestOf(n)}`, tag: `${REPO}:${tag}` },
    id ? { id } : {},
  );
const tick = (slot = nextSlot(), id?: string) =>
  deliver(
    'advanceRelease',
    EVENTS,
    { type: 'release.tick', service: SERVICE, slot },
    id ? { id } : {},
  );
/** `n` deliveries of one message at once, as Pub/Sub may make them. */
const times = (n: number, deliverOnce: () => Promise<number>) =>
  Promise.all(Array.from({ length: n }, deliverOnce));

async function record() {
  return (await h.view()).record!;
}
async function phase(): Promise<string | undefined> {
  return (await record()).release?.phase;
}
/** Ticks (each a new slot) until the release reaches `want`, at most `max` times. */
async function tickUntil(want: string, max = 6): Promise<void> {
  for (let i = 0; i < max && (await phase()) !== want; i++) await tick();
  expect(await phase()).toBe(want);
}
async function toFirstStep(): Promise<{ blue: string; green: string }> {
  expect(await push(2, '2.0.0')).toBe(204);
  const green = (await record()).release!.candidate.revision;
  h.seed(green, { requests: 5 });
  await tickUntil('shifting');
  return { blue: (await record()).stable.revision, green };
}
const count = (type: string) => h.eventTypes().filter((t) => t === type).length;

describe('a tick acts once, however often it is delivered', () => {
  // failureLimit 2: a failing verdict holds, so what the duplicates did shows in the count.
  it('ten deliveries of one tick (at once) count one failing verdict, publish one verdict event', async () => {
    h = await Harness.start({ thresholds: { minRequests: 20, failureLimit: 2 } });
    const { blue, green } = await toFirstStep();
    h.seed(blue);
    h.seed(green, { latencyMs: 400 });
    const slot = nextSlot();
    const answers = await times(10, () => tick(slot, 'tick-message-1'));
    expect(answers.every((a) => a === 204)).toBe(true);
    const release = (await record()).release;
    expect(release).toMatchObject({ phase: 'shifting', consecutiveFailures: 1 });
    expect(count('release.verdict')).toBe(1);
    expect((await record()).inputs?.lastTick).toBe(slot);
  });

  it('a tick older than the last one acted on is ignored (out of order)', async () => {
    h = await Harness.start({ thresholds: { minRequests: 20, failureLimit: 2 } });
    const { blue, green } = await toFirstStep();
    h.seed(blue);
    h.seed(green, { latencyMs: 400 });
    const late = nextSlot();
    await tick(nextSlot());
    await tick(late);
    expect((await record()).release).toMatchObject({ consecutiveFailures: 1 });
  });

  it('a tick for every service, delivered ten times, publishes no per-service ticks and acts once', async () => {
    h = await Harness.start();
    expect(await push(2, '2.0.0')).toBe(204);
    h.seed((await record()).release!.candidate.revision, { requests: 5 });
    const publishTime = h.clock.now();
    await times(10, () =>
      deliver('advanceRelease', EVENTS, { type: 'release.tick' }, { id: 'sched-1', publishTime }),
    );
    expect(await phase()).toBe('shifting');
    expect(count('release.tick')).toBe(0);
    expect(h.eventTypes()).toEqual([
      'release.provisioned',
      'release.smoke-passed',
      'release.step-started',
    ]);
    // Without a slot, the tick's identity is the minute it was published in.
    expect((await record()).inputs?.lastTick).toBe(minuteSlot(publishTime));
  });
});

describe('every other event acts once, however often it is delivered', () => {
  it('a push delivered five times at once deploys one candidate and publishes once', async () => {
    h = await Harness.start();
    await times(5, () => push(2, '2.0.0', 'push-1'));
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(2);
    expect(h.eventTypes()).toEqual(['release.provisioned']);
  });

  it('a pause redelivered after a resume does not pause again', async () => {
    h = await Harness.start();
    await toFirstStep();
    const pause = { type: 'operator.pause', service: SERVICE, requestedBy: 'ana' };
    await times(3, () => deliver('advanceRelease', EVENTS, pause, { id: 'pause-1' }));
    await deliver('advanceRelease', EVENTS, { ...pause, type: 'operator.resume' });
    await deliver('advanceRelease', EVENTS, pause, { id: 'pause-1' });
    expect((await record()).release).toMatchObject({ phase: 'shifting', paused: false });
    expect(count('release.paused')).toBe(1);
    expect(count('release.resumed')).toBe(1);
  });

  it('a rollback request redelivered after the next release started does not roll that one back', async () => {
    h = await Harness.start();
    await toFirstStep();
    const request = { service: SERVICE, mode: 'traffic', reason: 'bad', requestedBy: 'ana' };
    await times(3, () => deliver('rollback', 'cutover-rollback-requests', request, { id: 'rb-1' }));
    expect(await phase()).toBe('rolled-back');
    await push(3, '3.0.0');
    await deliver('rollback', 'cutover-rollback-requests', request, { id: 'rb-1' });
    expect(await phase()).toBe('smoke-testing');
    expect(count('release.rolled-back')).toBe(1);
  });
});

describe('a write that landed but whose answer was lost still yields every side effect once', () => {
  it.each([
    ['UNAVAILABLE', status.UNAVAILABLE],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
  ])(
    'every UpdateService lands and answers %s: the promotion publishes and tags once',
    async (_n, code) => {
      h = await Harness.start();
      await h.emulator.registry.push(REPO, '1.0.0', { digest: digestOf(1) });
      h.emulator.faults.inject(UPDATE, { code, when: 'after', times: 1000 });
      expect(await push(2, '2.0.0')).toBe(204);
      await tickUntil('smoke-testing');
      const green = (await record()).release!.candidate.revision;
      const blue = (await record()).stable.revision;
      h.seed(green, { requests: 5 });
      await tickUntil('shifting');
      h.seed(blue);
      h.seed(green);
      await tick();
      expect(await h.split()).toEqual({ [green]: 100 });
      h.seed(green);
      await tickUntil('promoted');
      h.emulator.faults.clear();

      expect(h.eventTypes()).toEqual([
        'release.provisioned',
        'release.smoke-passed',
        'release.step-started',
        'release.step-started',
        'release.promoted',
      ]);
      const ids = h.events().map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const tags = (await h.deps.registry().listTags(REPO)).filter((t) =>
        t.tag.startsWith('rollback-'),
      );
      expect(tags).toHaveLength(1);
      expect(tags[0]?.digest).toBe(digestOf(1));
      expect((await record()).outbox?.owed).toEqual([]);
    },
  );

  it('a rollback whose write answer is lost publishes release.rolled-back once', async () => {
    h = await Harness.start();
    const { blue } = await toFirstStep();
    h.emulator.faults.inject(UPDATE, { code: status.UNAVAILABLE, when: 'after', times: 1000 });
    const request = { service: SERVICE, mode: 'traffic', reason: 'bad', requestedBy: 'ana' };
    await deliver('rollback', 'cutover-rollback-requests', request);
    h.emulator.faults.clear();
    expect(await phase()).toBe('rolled-back');
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect(count('release.rolled-back')).toBe(1);
  });
});
