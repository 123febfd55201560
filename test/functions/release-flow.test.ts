import { afterEach, describe, expect, it } from 'vitest';
import { Harness, REPO, SERVICE, deliver, digestOf } from './harness.js';

let h: Harness;
afterEach(() => h?.stop());

const push = (n: number, tag: string) =>
  deliver('provisionGreen', 'gcr', {
    action: 'INSERT',
    digest: `${REPO}@${digestOf(n)}`,
    tag: `${REPO}:${tag}`,
  });
/** Each tick is a new scheduler slot (one minute later), as Cloud Scheduler's would be. */
let ticks = 0;
const tick = () =>
  deliver('advanceRelease', 'cutover-deployment-events', {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++ticks)).toISOString(),
  });

async function phase(): Promise<string | undefined> {
  return (await h.view()).record?.release?.phase;
}
async function candidate(): Promise<string> {
  return (await h.view()).record!.release!.candidate.revision;
}
async function stable(): Promise<string> {
  return (await h.view()).record!.stable.revision;
}

/** Push v2, let it become ready and pass the smoke test: the release is at its first step. */
async function toFirstStep(): Promise<{ blue: string; green: string }> {
  expect(await push(2, '2.0.0')).toBe(204);
  expect(await phase()).toBe('smoke-testing');
  const green = await candidate();
  h.seed(green, { requests: 5 });
  expect(await tick()).toBe(204);
  expect(await phase()).toBe('shifting');
  return { blue: await stable(), green };
}

describe('a push of a followed tag', () => {
  it('ends promoted after every step, with the previous stable digest tagged rollback-*', async () => {
    h = await Harness.start();
    await h.emulator.registry.push(REPO, '1.0.0', { digest: digestOf(1) });
    const { blue, green } = await toFirstStep();
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });

    h.seed(blue);
    h.seed(green);
    await tick();
    expect(await h.split()).toEqual({ [green]: 100 });
    expect(await phase()).toBe('shifting');

    // At 100% blue serves nothing: its baseline is the step before, so green alone is seeded.
    h.seed(green);
    await tick();
    expect(await phase()).toBe('promoted');
    expect(await stable()).toBe(green);
    expect(await h.split()).toEqual({ [green]: 100 });

    const tags = await h.deps.registry().listTags(REPO);
    expect(tags.find((t) => t.tag.startsWith('rollback-'))?.digest).toBe(digestOf(1));
    expect(h.eventTypes()).toEqual([
      'release.provisioned',
      'release.smoke-passed',
      'release.step-started',
      'release.step-started',
      'release.promoted',
    ]);
    for (const e of h.events())
      expect(e).toMatchObject({ service: SERVICE, releaseId: expect.any(String) });
  });

  it('deploys green from blue’s template: same env, secret, service account, resources; only image and color env change', async () => {
    h = await Harness.start();
    await push(2, '2.0.0');
    const revisions = h.emulator.run.listRevisions(SERVICE);
    const [blueRev, greenRev] = revisions as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    const container = (r: Record<string, unknown>) =>
      (r.containers as Array<Record<string, unknown>>)[0]!;
    expect(container(greenRev).image).toBe(`${REPO}@${digestOf(2)}`);
    expect(greenRev.service_account).toBe(blueRev.service_account);
    expect(greenRev.scaling).toEqual(blueRev.scaling);
    expect(container(greenRev).resources).toEqual(container(blueRev).resources);
    const env = (r: Record<string, unknown>) => container(r).env as Array<Record<string, unknown>>;
    expect(env(greenRev).find((e) => e.name === 'API_KEY')).toEqual(
      env(blueRev).find((e) => e.name === 'API_KEY'),
    );
    expect(env(greenRev).find((e) => e.name === 'MODEL_THRESHOLD')).toMatchObject({ value: '0.7' });
    expect(env(greenRev).find((e) => e.name === 'BUCKET')).toMatchObject({ value: 'green-logs' });
    const view = await h.view();
    expect(view.traffic.map((t) => [t.tag, t.percent])).toEqual(
      expect.arrayContaining([
        ['blue', 100],
        ['green', 0],
      ]),
    );
  });
});

describe('each rollback trigger ends with 100% on the stable revision', () => {
  it.each<[string, { errors?: number; latencyMs?: number; prediction?: number }]>([
    ['5xx rate', { errors: 30 }],
    ['p95 latency', { latencyMs: 400 }],
    ['prediction drift', { prediction: 0.9 }],
  ])('a failing %s judgement (twice) rolls back', async (_name, bad) => {
    h = await Harness.start();
    const { blue, green } = await toFirstStep();
    for (let i = 0; i < 2; i++) {
      h.seed(blue);
      h.seed(green, bad);
      await tick();
    }
    expect((await h.view()).record?.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'analysis',
    });
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect((await h.view()).record?.failedImages).toEqual([`${REPO}@${digestOf(2)}`]);
  });

  it('a failing smoke test (changed response shape) rolls back before any traffic', async () => {
    h = await Harness.start();
    h.behaviours.set('green', { status: 200, body: { probability: 0.4, model_version: '2' } });
    await push(2, '2.0.0');
    const green = await candidate();
    h.seed(green, { requests: 5 });
    await tick();
    expect((await h.view()).record?.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'smoke',
    });
    expect(Object.keys(await h.split())).not.toContain(green);
  });

  it('a candidate that never becomes ready (UpdateService fails with code 9) ends rolled back (provision-failed) in the same delivery, blue untouched', async () => {
    h = await Harness.start();
    const blue = (await h.view()).traffic[0]!.revision;
    h.emulator.run.setRevisionStarter(() =>
      Promise.resolve({ ready: false, message: 'container exited with status 1' }),
    );
    expect(await push(2, '2.0.0')).toBe(204);
    const record = (await h.view()).record!;
    expect(record.release).toMatchObject({ phase: 'rolled-back', trigger: 'provision-failed' });
    const reason = record.release && 'reason' in record.release ? record.release.reason : '';
    expect(reason).toMatch(
      /is not ready( and cannot serve traffic)?\. The user-provided container/,
    );
    expect(reason).toContain('exited with status 1');
    expect(record.failedImages).toEqual([`${REPO}@${digestOf(2)}`]);
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect(h.eventTypes()).toEqual(['release.rolled-back']);
  });

  it('a push of the failed digest is ignored afterwards', async () => {
    h = await Harness.start();
    h.behaviours.set('green', { status: 500, body: { error: 'boom' } });
    await push(2, '2.0.0');
    h.seed(await candidate(), { requests: 5 });
    await tick();
    expect(await phase()).toBe('rolled-back');
    await push(2, '2.0.1');
    expect((await h.view()).record?.release?.phase).toBe('rolled-back');
    expect(
      h.logs.entries.some((e) => String(e.message).includes('failed an earlier release')),
    ).toBe(true);
  });
});

describe('duplicates and out-of-order deliveries', () => {
  it('the same push delivered twice deploys one candidate', async () => {
    h = await Harness.start();
    await push(2, '2.0.0');
    await push(2, '2.0.0');
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(2);
    expect(h.eventTypes()).toEqual(['release.provisioned']);
  });

  it('a stale release.provisioned for an older release changes nothing', async () => {
    h = await Harness.start();
    const { blue, green } = await toFirstStep();
    const before = await h.split();
    await deliver('advanceRelease', 'cutover-deployment-events', {
      type: 'release.provisioned',
      service: SERVICE,
      releaseId: 'some-older-release',
      step: null,
      percent: 0,
      at: h.clock.now().toISOString(),
      verdict: null,
      candidate: { revision: green, image: 'x', color: 'green' },
      stable: { revision: blue, image: 'y', color: 'blue' },
    });
    expect(await h.split()).toEqual(before);
  });

  it('a push during a release supersedes it: the new candidate takes the slot at 0%', async () => {
    h = await Harness.start();
    const { blue, green } = await toFirstStep();
    await push(3, '3.0.0');
    const record = (await h.view()).record!;
    expect(record.release).toMatchObject({ phase: 'smoke-testing', candidate: { color: 'green' } });
    expect(record.history[0]).toMatchObject({ phase: 'superseded' });
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect((await h.view()).traffic.find((t) => t.tag === 'green')?.revision).not.toBe(green);
  });
});
