import { afterEach, describe, expect, it } from 'vitest';
import { Harness, SERVICE, deliver, digestOf } from './harness.js';

const GCR = 'gcr.io/pocketcoach/leakage';
let h: Harness;
afterEach(() => h?.stop());

/** Each tick is a new scheduler slot (one minute later), as Cloud Scheduler's would be. */
let ticks = 0;
const tick = () =>
  deliver('advanceRelease', 'cutover-deployment-events', {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++ticks)).toISOString(),
  });

describe('a service that follows a gcr.io image (Artifact Registry gcr.io repository)', () => {
  it('releases a push and tags the previous stable rollback-* in the gcr.io repository', async () => {
    h = await Harness.start({ image: GCR });
    await h.emulator.registry.push(GCR, '1.0.0', { digest: digestOf(1) });
    // Artifact Registry publishes gcr.io pushes to the same `gcr` topic, with gcr.io references.
    expect(
      await deliver('provisionGreen', 'gcr', {
        action: 'INSERT',
        digest: `${GCR}@${digestOf(2)}`,
        tag: `${GCR}:2.0.0`,
      }),
    ).toBe(204);
    const record = (await h.view()).record!;
    const green = record.release!.candidate.revision;
    const blue = record.stable.revision;
    h.seed(green, { requests: 5 });
    await tick();
    await h.passBothSteps({ blue, green }, tick);
    expect((await h.view()).record?.release?.phase).toBe('promoted');
    const tags = await h.deps.registry().listTags(GCR);
    expect(tags.find((t) => t.tag.startsWith('rollback-'))?.digest).toBe(digestOf(1));
    expect(h.eventTypes()).not.toContain('release.failed');
  });
});
