import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, REPO, SERVICE, deliver, digestOf } from './harness.js';

let h: Harness;
afterEach(() => h?.stop());

const EVENTS = 'cutover-deployment-events';
const REQUESTS = 'cutover-rollback-requests';
const UPDATE = 'google.cloud.run.v2.Services/UpdateService';
const DENIED = {
  code: status.PERMISSION_DENIED,
  message: "Permission 'run.services.update' denied on resource 'leakage' (or it may not exist).",
  times: 1,
};
let minute = 0;
const tick = () =>
  deliver('advanceRelease', EVENTS, {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++minute)).toISOString(),
  });
const rollback = (mode = 'traffic', id?: string) =>
  deliver(
    'rollback',
    REQUESTS,
    { service: SERVICE, mode, reason: 'p95 looks off', requestedBy: 'ana' },
    id ? { id } : {},
  );
const record = async () => (await h.view()).record!;
const count = (type: string) => h.eventTypes().filter((t) => t === type).length;

async function toFirstStep(): Promise<{ blue: string; green: string }> {
  await deliver('provisionGreen', 'gcr', {
    action: 'INSERT',
    digest: `${REPO}@${digestOf(2)}`,
    tag: `${REPO}:2.0.0`,
  });
  const green = (await record()).release!.candidate.revision;
  h.seed(green, { requests: 5 });
  await tick();
  expect((await record()).release?.phase).toBe('shifting');
  return { blue: (await record()).stable.revision, green };
}

describe("a person's request that Google refuses permanently holds the release", () => {
  it('a traffic rollback hit by PERMISSION_DENIED holds the step, says why and how to fix it, and is retried each tick until it passes', async () => {
    h = await Harness.start();
    const { blue, green } = await toFirstStep();
    h.emulator.faults.inject(UPDATE, DENIED);
    expect(await rollback()).toBe(204);

    const held = await record();
    expect(held.release).toMatchObject({ phase: 'shifting', step: { index: 0 } });
    expect(held.held).toMatchObject({
      request: { type: 'rollback-traffic', reason: 'p95 looks off' },
      requestedBy: 'ana',
      attempts: 1,
    });
    expect(held.held?.error).toMatch(/PERMISSION_DENIED: Permission 'run.services.update' denied/);
    expect(held.held?.fix).toMatch(/roles\/run.developer/);
    expect(held.release?.holds?.map((x) => x.id)).toEqual(['request:rollback-traffic']);
    const event = h.events().find((e) => e.type === 'release.held');
    expect(event).toMatchObject({ request: 'rollback-traffic', requestedBy: 'ana' });
    expect(count('release.failed')).toBe(0);

    // Green passes its step, but the held release neither moves on nor promotes; the retry fails again.
    h.seed(blue);
    h.seed(green);
    h.emulator.faults.inject(UPDATE, DENIED);
    await tick();
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
    expect((await record()).release?.phase).toBe('shifting');
    expect((await record()).held?.attempts).toBe(2);
    expect(count('release.held')).toBe(1);
    expect(count('release.step-started')).toBe(1);
    // An operator's promote is refused while it holds.
    await deliver('advanceRelease', EVENTS, {
      type: 'operator.promote',
      service: SERVICE,
      requestedBy: 'bo',
    });
    expect((await record()).release?.phase).toBe('shifting');

    // The permission is granted: the next tick carries the rollback out.
    await tick();
    const done = await record();
    expect(done.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'manual-traffic',
      requestedBy: 'ana',
    });
    expect(done.held ?? null).toBeNull();
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect(count('release.rolled-back')).toBe(1);
  });

  it('a pause hit by PERMISSION_DENIED is held, then carried out on the next tick', async () => {
    h = await Harness.start();
    await toFirstStep();
    h.emulator.faults.inject(UPDATE, DENIED);
    await deliver('advanceRelease', EVENTS, {
      type: 'operator.pause',
      service: SERVICE,
      requestedBy: 'ana',
    });
    expect((await record()).held?.request).toEqual({ type: 'pause' });
    expect((await record()).release).toMatchObject({ phase: 'shifting', paused: false });
    await tick();
    const after = await record();
    expect(after.release).toMatchObject({ phase: 'shifting', paused: true });
    expect(after.held ?? null).toBeNull();
    expect(after.release?.holds ?? []).toEqual([]);
    expect(after.actions?.[0]).toMatchObject({ action: 'pause', by: 'ana' });
  });

  it('a container rollback refused during the next release holds it (never promoted), then deploys the image stable before', async () => {
    h = await Harness.start();
    const { blue, green } = await toFirstStep();
    await h.passBothSteps({ blue, green }, tick);
    expect((await record()).release?.phase).toBe('promoted');
    // v3 is being released when a person asks for the image before v2.
    await deliver('provisionGreen', 'gcr', {
      action: 'INSERT',
      digest: `${REPO}@${digestOf(3)}`,
      tag: `${REPO}:3.0.0`,
    });
    const v3 = (await record()).release!.candidate.revision;
    h.seed(v3, { requests: 5 });
    await tick();
    expect((await record()).release?.phase).toBe('shifting');
    h.emulator.faults.inject(UPDATE, DENIED);
    expect(await rollback('container')).toBe(204);
    expect((await record()).held?.request).toMatchObject({
      type: 'rollback-container',
      image: `${REPO}@${digestOf(1)}`,
    });
    // v3 would pass both steps; the release stays where it is instead.
    for (let i = 0; i < 2; i++) {
      h.emulator.faults.inject(UPDATE, DENIED);
      h.seed(green);
      h.seed(v3);
      await tick();
    }
    expect((await record()).release?.phase).toBe('shifting');
    expect((await record()).held?.attempts).toBe(3);
    await tick();
    const done = await record();
    expect(done.stable.image).toBe(`${REPO}@${digestOf(1)}`);
    expect(done.release).toMatchObject({ phase: 'rolled-back', trigger: 'manual-container' });
    expect(done.held ?? null).toBeNull();
    expect(count('release.promoted')).toBe(1);
  });

  it('when even the hold cannot be written, the request is rejected so Pub/Sub redelivers it', async () => {
    h = await Harness.start();
    const { blue } = await toFirstStep();
    h.emulator.faults.inject(UPDATE, { ...DENIED, times: 2 });
    expect(await rollback('traffic', 'rb-1')).not.toBe(204);
    expect((await record()).release?.phase).toBe('shifting');
    expect(await rollback('traffic', 'rb-1')).toBe(204);
    expect((await record()).release?.phase).toBe('rolled-back');
    expect(await h.split()).toEqual({ [blue]: 100 });
  });
});
