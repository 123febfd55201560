import { afterEach, describe, expect, it } from 'vitest';
import { Harness, REPO, SERVICE, deliver, digestOf } from './harness.js';
import { PersonAtTheConsole } from './person-at-the-console.js';

let h: Harness;
let person: PersonAtTheConsole | undefined;
afterEach(async () => {
  await person?.close();
  person = undefined;
  await h?.stop();
});

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
const release = async () => (await h.view()).record?.release;

/** Push v2 and carry it to its last step (100%): blue serves nothing but keeps its tag. */
async function atLastStep(): Promise<{ blue: string; green: string }> {
  expect(await push(2, '2.0.0')).toBe(204);
  const record = (await h.view()).record!;
  const green = record.release!.candidate.revision;
  const blue = record.stable.revision;
  h.seed(green, { requests: 5 });
  await tick(); // smoke → 50%
  h.seed(blue);
  h.seed(green);
  await tick(); // → 100%
  expect(await h.split()).toEqual({ [green]: 100 });
  return { blue, green };
}

describe('a stable revision deleted during a release (UpdateService fails with code 13)', () => {
  it('gives one release.failed with the fix to run, holds the release, and is not retried every tick', async () => {
    h = await Harness.start();
    const { blue, green } = await atLastStep();
    person = new PersonAtTheConsole(h);
    // The person untags blue (it serves nothing) and deletes it: it is now retired.
    await person.updateTraffic([{ revision: green, percent: 100, tag: 'green' }]);
    await person.deleteRevision(blue);

    h.seed(green);
    expect(await tick()).toBe(204); // the promotion names blue at 0%: Cloud Run answers code 13
    const failed = h.events().filter((e) => e.type === 'release.failed');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.error)).toContain(
      `revision ${blue} of ${SERVICE} does not exist or is deleted`,
    );
    expect(String(failed[0]!.error)).toContain('gcloud run services update-traffic leakage');
    expect(await release()).toMatchObject({ phase: 'shifting', paused: true });
    expect(await h.split()).toEqual({ [green]: 100 });

    h.seed(green);
    expect(await tick()).toBe(204);
    expect(h.events().filter((e) => e.type === 'release.failed')).toHaveLength(1);
  });
});

describe('a service whose ingress is internal', () => {
  it('refuses the release at the push, with release.failed saying what to set, when the functions have no VPC egress', async () => {
    h = await Harness.start();
    person = new PersonAtTheConsole(h);
    await person.setIngress('INGRESS_TRAFFIC_INTERNAL_ONLY');
    const before = await h.split();
    expect(await push(2, '2.0.0')).toBe(204);
    const [failed, ...more] = h.events().filter((e) => e.type === 'release.failed');
    expect(more).toHaveLength(0);
    expect(String(failed?.error)).toContain('ingress "internal"');
    expect(String(failed?.error)).toContain('set functionsVpcEgress');
    expect((await h.view()).record?.release ?? null).toBeNull();
    expect(await h.split()).toEqual(before);
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(1);
  });
});
