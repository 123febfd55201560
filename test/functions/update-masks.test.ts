import { afterEach, describe, expect, it } from 'vitest';
import { initialRecord } from '../../shared/domain/release-machine.js';
import { Harness, REPO, SERVICE, digestOf } from './harness.js';
import { PersonAtTheConsole } from './person-at-the-console.js';

let h: Harness;
let person: PersonAtTheConsole;
afterEach(async () => {
  await person.close();
  await h.stop();
});

async function start(): Promise<void> {
  h = await Harness.start();
  person = new PersonAtTheConsole(h);
}

const record = (revision: string) => initialRecord({ revision, image: `${REPO}@${digestOf(1)}` });

describe('cutover writes traffic and its record under an update mask, never the template', () => {
  it('a traffic-only write over a template changed since the read neither 409s nor reverts it', async () => {
    await start();
    // A revision named by a person (`gcloud run deploy --revision-suffix`): the template names it.
    const named = await person.deploy(`${REPO}@${digestOf(2)}`, 'leakage-named');
    const view = await h.view();
    const stale = await person.read();
    // Then a new template (a `terraform apply`) before cutover's write, which the etag does not
    // stop: Cloud Run v2 does not document etag enforcement.
    const newer = await person.deploy(`${REPO}@${digestOf(3)}`);
    h.emulator.run.setEtagEnforcement(false);

    // What a read-modify-write without a mask sends is refused: the old template, with its name.
    await expect(person.writeBack({ ...stale, etag: '' })).rejects.toMatchObject({
      code: 6,
      details: `Revision named '${named}' with different configuration already exists.`,
    });
    // cutover's write of the same read sends no template, so it lands and leaves the template be.
    const after = await h.deps.platform().update(view, {
      traffic: [{ revision: named, percent: 100, tag: 'blue' }],
      record: record(named),
    });
    expect(after.traffic.map((t) => [t.revision, t.percent, t.tag])).toEqual([
      [named, 100, 'blue'],
    ]);
    expect(after.latestCreatedRevision).toBe(newer);
    const service = h.emulator.run.getService(SERVICE)!;
    expect(service.template?.containers?.[0]?.image).toBe(`${REPO}@${digestOf(3)}`);
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(3);
  });

  it("keeps every annotation that is not cutover's, and a LATEST target stays LATEST on a record-only write", async () => {
    await start();
    await person.deploy(`${REPO}@${digestOf(2)}`); // 100% LATEST, as gcloud leaves it
    await person.annotate('team.example.com/owner', 'models');
    const view = await h.view();
    await h.deps.platform().update(view, { traffic: view.written, record: record('x-unused') });
    const service = h.emulator.run.getService(SERVICE)!;
    expect(service.annotations).toMatchObject({
      'team.example.com/owner': 'models',
      'cutover.dev/stable': expect.stringContaining('x-unused'),
    });
    expect(service.traffic).toEqual([
      expect.objectContaining({ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }),
    ]);
  });
});
