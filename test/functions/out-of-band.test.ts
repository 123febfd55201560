import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Harness,
  PROJECT,
  REPO,
  SERVICE,
  WEBHOOK,
  basic,
  deliver,
  digestOf,
  post,
} from './harness.js';
import { PersonAtTheConsole } from './person-at-the-console.js';

let h: Harness;
let person: PersonAtTheConsole;
afterEach(async () => {
  await person.close();
  await h.stop();
});

const push = (n: number, tag: string) =>
  deliver('provisionGreen', 'gcr', {
    action: 'INSERT',
    digest: `${REPO}@${digestOf(n)}`,
    tag: `${REPO}:${tag}`,
  });
let ticks = 0;
const tick = () =>
  deliver('advanceRelease', 'cutover-deployment-events', {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++ticks)).toISOString(),
  });

/** Monitoring's open incident (the documented one) about `revision` of the test service. */
function incidentAbout(revision: string): string {
  const doc = JSON.parse(
    readFileSync(
      new URL('../fixtures/monitoring-webhook-incident-open.json', import.meta.url),
      'utf8',
    ),
  ) as { incident: Record<string, unknown> };
  return JSON.stringify({
    ...doc,
    incident: {
      ...doc.incident,
      incident_id: '0.out-of-band',
      state: 'open',
      scoping_project_id: PROJECT,
      started_at: Math.floor(h.clock.now().getTime() / 1000),
      resource: {
        type: 'cloud_run_revision',
        labels: { project_id: PROJECT, revision_name: revision },
      },
      policy_user_labels: { cutover_service: 'leakage' },
    },
  });
}

/** A release at its first step (50 %), with three ticks' room before it would advance. */
async function atFirstStep(): Promise<{ blue: string; green: string }> {
  h = await Harness.start({ steps: [50, 100], bakeSeconds: 600 });
  person = new PersonAtTheConsole(h);
  expect(await push(2, '2.0.0')).toBe(204);
  const record = (await h.view()).record!;
  const green = record.release!.candidate.revision;
  h.seed(green, { requests: 5 });
  await tick();
  expect((await h.view()).record?.release?.phase).toBe('shifting');
  return { blue: record.stable.revision, green };
}

describe('traffic changed outside cutover during a release', () => {
  it('`gcloud run deploy` (100% to a new revision) ends it superseded; the person keeps the traffic and their revision becomes the stable', async () => {
    await atFirstStep();
    const theirs = await person.deploy(`${REPO}@${digestOf(7)}`);
    const revisions = h.emulator.run.listRevisions(SERVICE).length;

    expect(await tick()).toBe(204);
    const view = await h.view();
    const release = view.record!.release!;
    expect(release).toMatchObject({ phase: 'superseded', supersededBy: theirs });
    expect(release.phase === 'superseded' && release.reason).toContain(
      `revision ${theirs}, which cutover did not create, serves 100%`,
    );
    expect(view.record!.stable).toMatchObject({
      revision: theirs,
      image: `${REPO}@${digestOf(7)}`,
    });
    // The traffic is exactly what the person wrote: still LATEST, never put back.
    const service = h.emulator.run.getService(SERVICE)!;
    expect(service.traffic).toEqual([
      expect.objectContaining({ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }),
    ]);
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(revisions);
    expect(await h.split()).toEqual({ [theirs]: 100 });
    expect(h.events().at(-1)).toMatchObject({ type: 'release.superseded', supersededBy: theirs });
    expect(view.record!.failedImages).not.toContain(`${REPO}@${digestOf(2)}`);

    // Nothing more happens on later ticks (no template release of their revision either).
    await tick();
    expect(await h.split()).toEqual({ [theirs]: 100 });
    expect((await h.view()).record!.release).toMatchObject({ phase: 'superseded' });
  });

  it('an alert about the candidate after the person took the traffic does not roll back over them', async () => {
    const { green } = await atFirstStep();
    const theirs = await person.deploy(`${REPO}@${digestOf(7)}`);
    const res = await post('revertOnAlert', {
      headers: {
        'content-type': 'application/json',
        authorization: basic(WEBHOOK.username, WEBHOOK.password),
      },
      body: incidentAbout(green),
    });
    expect(res).toMatchObject({ status: 200, json: { action: 'ignored' } });
    expect((await h.view()).record!.release).toMatchObject({
      phase: 'superseded',
      supersededBy: theirs,
    });
    expect(await h.split()).toEqual({ [theirs]: 100 });
  });

  it('`update-traffic` moving the split between blue and green ends it aborted, with both splits in the reason', async () => {
    const { blue, green } = await atFirstStep();
    await person.updateTraffic([
      { revision: blue, percent: 80, tag: 'blue' },
      { revision: green, percent: 20, tag: 'green' },
    ]);
    await tick();
    const release = (await h.view()).record!.release!;
    expect(release.phase).toBe('aborted');
    const reason = release.phase === 'aborted' ? release.reason : '';
    expect(reason).toContain('the traffic split was changed outside cutover');
    expect(reason).toContain(`serving ${blue} 80% / ${green} 20%`);
    expect(reason).toContain(`wrote ${blue} 50% / ${green} 50%`);
    expect(await h.split()).toEqual({ [blue]: 80, [green]: 20 });
    expect(h.eventTypes().at(-1)).toBe('release.aborted');
  });

  it('each verdict records the split written beside the share each revision served, and says when they differ', async () => {
    const { blue, green } = await atFirstStep();
    // Session affinity: at a written 50/50 the candidate served three requests in four.
    h.seed(blue, { requests: 100 });
    h.seed(green, { requests: 300 });
    await tick();
    const release = (await h.view()).record!.release!;
    expect(release.phase).toBe('shifting');
    const verdict = release.phase === 'shifting' ? release.lastVerdict : null;
    expect(verdict?.traffic).toEqual({
      written: { stable: 50, candidate: 50 },
      served: { stable: 25, candidate: 75 },
      requests: { stable: 100, candidate: 300 },
    });
    expect(verdict?.advice).toContain(
      'the candidate served 75% of requests (300 of 400) while 50% is written',
    );
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
  });
});
