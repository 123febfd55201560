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

let h: Harness;
afterEach(() => h?.stop());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
/** Each tick is a new scheduler slot (one minute later), as Cloud Scheduler's would be. */
let ticks = 0;
const tick = () =>
  deliver('advanceRelease', 'cutover-deployment-events', {
    type: 'release.tick',
    service: SERVICE,
    slot: new Date(Date.UTC(2026, 0, 1, 0, ++ticks)).toISOString(),
  });

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The candidate of the release `shifting()` started: terraform's policies name a revision. */
let candidateRevision = '';

/**
 * The documented open incident, re-pointed at the test service as terraform's policies produce it:
 * the policy label names the service, the resource (grouped by revision) keeps project_id and
 * revision_name, and it started now.
 */
function openIncident(
  o: { id?: string; revision?: string | null; project?: string; startedAt?: Date } = {},
): Record<string, unknown> {
  const doc = fixture('monitoring-webhook-incident-open.json');
  const incident = doc.incident as Record<string, unknown>;
  const revision = o.revision === undefined ? candidateRevision : o.revision;
  return {
    ...doc,
    incident: {
      ...incident,
      incident_id: o.id ?? '0.abc123',
      state: 'open',
      scoping_project_id: PROJECT,
      started_at: Math.floor((o.startedAt ?? h.clock.now()).getTime() / 1000),
      resource: {
        type: 'cloud_run_revision',
        labels: {
          project_id: o.project ?? PROJECT,
          ...(revision === null ? {} : { revision_name: revision }),
        },
      },
      policy_user_labels: { cutover_service: 'leakage' },
    },
  };
}

function closedIncident(id = '0.abc123'): Record<string, unknown> {
  const open = openIncident({ id });
  const incident = open.incident as Record<string, unknown>;
  return {
    ...open,
    incident: {
      ...incident,
      state: 'closed',
      ended_at: Math.floor(h.clock.now().getTime() / 1000),
    },
  };
}

/** v2 released and promoted: its two steps judged on seeded, passing metrics. */
async function promoted(): Promise<void> {
  await h.passBothSteps(await shifting(), tick);
  expect((await h.view()).record?.release?.phase).toBe('promoted');
}

async function shifting(): Promise<{ blue: string; green: string }> {
  await deliver('provisionGreen', 'gcr', {
    action: 'INSERT',
    digest: `${REPO}@${digestOf(2)}`,
    tag: `${REPO}:2.0.0`,
  });
  const view = await h.view();
  const green = view.record!.release!.candidate.revision;
  candidateRevision = green;
  h.seed(green, { requests: 5 });
  await tick();
  expect((await h.view()).record?.release?.phase).toBe('shifting');
  return { blue: view.record!.stable.revision, green };
}

/** A person's container rollback request, as `cutover rollback --container` publishes it. */
const containerRollback = (reason = 'bad model') =>
  deliver('rollback', 'cutover-rollback-requests', {
    service: SERVICE,
    mode: 'container',
    reason,
    requestedBy: 'ana',
  });

const webhook = (body: unknown, auth = basic(WEBHOOK.username, WEBHOOK.password)) =>
  post('revertOnAlert', {
    headers: { 'content-type': 'application/json', authorization: auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('revertOnAlert', () => {
  it('an open incident naming the service reverts to the stable at once; the same incident twice reverts once', async () => {
    h = await Harness.start();
    const { blue } = await shifting();
    const first = await webhook(openIncident());
    expect(first).toMatchObject({ status: 200, json: { action: 'reverted' } });
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect((await h.view()).record?.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'alert',
    });
    const revisionsBefore = h.emulator.run.listRevisions(SERVICE).length;
    const second = await webhook(openIncident());
    expect(second).toMatchObject({ status: 200, json: { action: 'ignored' } });
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(revisionsBefore);
    expect(h.eventTypes().filter((t) => t === 'release.rolled-back')).toHaveLength(1);
  });

  it('the same incident through a Pub/Sub notification channel (push envelope, token in the query) reverts', async () => {
    h = await Harness.start();
    const { blue } = await shifting();
    const envelope = fixture('pubsub-push-envelope.json') as { message: Record<string, unknown> };
    const body = {
      ...envelope,
      message: {
        ...envelope.message,
        data: Buffer.from(JSON.stringify(openIncident())).toString('base64'),
        publish_time: h.clock.now().toISOString(),
      },
    };
    const res = await post('revertOnAlert', {
      path: `/?auth_token=${WEBHOOK.password}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await h.split()).toEqual({ [blue]: 100 });
  });

  it('an alert arriving during a step change ends rolled back with 100% on the stable, whatever wins the race', async () => {
    h = await Harness.start();
    const { blue, green } = await shifting();
    h.seed(blue);
    h.seed(green);
    h.emulator.faults.inject('google.cloud.run.v2.Services/UpdateService', {
      delayMs: 300,
      times: 1,
    });
    const [ticked, alerted] = await Promise.all([tick(), webhook(openIncident())]);
    expect([ticked, alerted.status]).toEqual([204, 200]);
    expect((await h.view()).record?.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'alert',
    });
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect(h.eventTypes().filter((t) => t === 'release.rolled-back')).toHaveLength(1);
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong password', basic(WEBHOOK.username, 'nope')],
    ['a wrong user', basic('someone', WEBHOOK.password)],
  ])('401 with %s, and nothing changes', async (_n, auth) => {
    h = await Harness.start();
    const { blue, green } = await shifting();
    const res = await post('revertOnAlert', {
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify(openIncident()),
    });
    expect(res.status).toBe(401);
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
  });

  it.each([
    ['a closed incident', () => fixture('monitoring-webhook-incident-closed.json')],
    [
      'an incident of another service',
      () => ({
        ...openIncident(),
        incident: {
          ...(openIncident().incident as object),
          policy_user_labels: { cutover_service: 'other' },
        },
      }),
    ],
    [
      'a test notification',
      () => ({
        version: 'test',
        incident: {
          state: 'OPEN',
          incident_id: 'x',
          policy_user_labels: { cutover_service: 'leakage' },
        },
      }),
    ],
  ])('200 and ignored for %s', async (_n, body) => {
    h = await Harness.start();
    const { blue, green } = await shifting();
    expect(await webhook(body())).toMatchObject({ status: 200, json: { action: 'ignored' } });
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
  });

  it('an incident on the stable revision holds the release: never promoted while open, promoted once it closes', async () => {
    h = await Harness.start();
    const { blue, green } = await shifting();
    expect(await webhook(openIncident({ revision: blue }))).toMatchObject({
      status: 200,
      json: { action: 'held' },
    });
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
    h.seed(blue);
    h.seed(green);
    await tick(); // step 2: 100% on the candidate
    h.seed(green);
    await tick(); // passes, but held
    const held = (await h.view()).record!.release!;
    expect(held.phase).toBe('shifting');
    expect(held.holds).toEqual([expect.objectContaining({ id: 'incident:0.abc123' })]);
    expect(h.eventTypes()).toContain('release.promotion-held');
    expect(h.eventTypes()).not.toContain('release.promoted');
    expect(h.logs.entries.some((e) => String(e.message).includes('not promoted: incident'))).toBe(
      true,
    );

    expect(await webhook(closedIncident())).toMatchObject({
      status: 200,
      json: { action: 'released' },
    });
    h.seed(green);
    await tick();
    expect((await h.view()).record?.release?.phase).toBe('promoted');
  });

  it.each([
    [
      'a replay of an incident older than the release (about the previous candidate)',
      () => openIncident({ startedAt: new Date(h.clock.now().getTime() - 3600_000) }),
      'before release',
    ],
    [
      'an incident about another project’s service with a bare-id label',
      () => openIncident({ project: 'someone-else' }),
      'in project someone-else is not a configured service',
    ],
    [
      'an incident naming another revision',
      () => openIncident({ revision: 'leakage-00042-zzz' }),
      'neither the candidate',
    ],
  ])('%s does not roll back; it is logged and answered with the reason', async (_n, body, why) => {
    h = await Harness.start();
    const { blue, green } = await shifting();
    const res = await webhook(body());
    expect(res).toMatchObject({ status: 200, json: { action: 'ignored' } });
    expect(JSON.stringify(res.json)).toContain(why);
    expect(h.logs.entries.some((e) => String(e.message).includes(why))).toBe(true);
    expect(await h.split()).toEqual({ [blue]: 50, [green]: 50 });
  });

  it('400 for a malformed body', async () => {
    h = await Harness.start();
    expect((await webhook('{"incident": ')).status).toBe(400);
    expect((await webhook({ version: '1.2', incident: 'not an object' })).status).toBe(400);
  });
});

describe('rollback requests', () => {
  it('mode traffic puts 100% on the stable revision and records who and why', async () => {
    h = await Harness.start();
    const { blue } = await shifting();
    await deliver('rollback', 'cutover-rollback-requests', {
      service: 'leakage',
      mode: 'traffic',
      reason: 'p95 looks off',
      requestedBy: 'ana',
    });
    expect(await h.split()).toEqual({ [blue]: 100 });
    expect((await h.view()).record?.release).toMatchObject({
      trigger: 'manual-traffic',
      requestedBy: 'ana',
      reason: 'p95 looks off',
    });
  });

  it('mode container deploys the image stable right before, never an older rollback-* tag, and asks for a Terraform sync', async () => {
    h = await Harness.start();
    // Tags a person or an older run left: the newest (digest 8) is not the image stable before.
    await h.emulator.registry.push(REPO, 'rollback-20261101T000000Z', { digest: digestOf(7) });
    await h.emulator.registry.push(REPO, 'rollback-20261120T000000Z', { digest: digestOf(8) });
    await h.emulator.registry.push(REPO, 'rollback-20261110T000000Z', { digest: digestOf(9) });
    await promoted();
    await deliver('rollback', 'cutover-rollback-requests', {
      service: SERVICE,
      mode: 'container',
      reason: 'bad model',
      requestedBy: 'ana',
    });
    const view = await h.view();
    const restored = view.record!.stable;
    expect(restored.image).toBe(`${REPO}@${digestOf(1)}`);
    expect(await h.split()).toEqual({ [restored.revision]: 100 });
    expect(h.eventTypes()).toEqual(
      expect.arrayContaining(['release.rolled-back', 'terraform.sync-requested']),
    );
  });

  it('a container rollback whose revision does not start leaves the stable serving and recorded, tells the person, and asks Terraform for nothing', async () => {
    h = await Harness.start();
    await promoted();
    const before = await h.view();
    const stable = before.record!.stable;
    const served = await h.split();
    const already = h.eventTypes().length;
    h.emulator.run.setRevisionStarter(() =>
      Promise.resolve({ ready: false, message: 'container exited with status 1' }),
    );
    expect(await containerRollback()).toBe(204);
    const after = await h.view();
    expect(after.record!.stable).toEqual(stable);
    expect(after.record!.previousStables).toEqual(before.record!.previousStables);
    expect(await h.split()).toEqual(served);
    expect(after.written).toEqual(before.written);
    const owed = (after.record!.outbox?.owed ?? []).flatMap((e) =>
      e.kind === 'publish' ? [e.event.type] : [],
    );
    expect(owed).toEqual([]);
    expect(h.eventTypes().slice(already)).toEqual(['release.failed']);
    expect(h.events().at(-1)?.error).toMatch(
      /did not start \(.*container exited with status 1.*\); .* keeps serving\. Fix the image/,
    );
    // The next tick finds nothing to repair or release.
    h.emulator.run.setRevisionStarter(null);
    await tick();
    expect((await h.view()).record!.stable).toEqual(stable);
    expect(h.eventTypes().slice(already)).toEqual(['release.failed']);
  });

  it('a container rollback when cutover does not know the image stable before is refused, saying why and what to do', async () => {
    h = await Harness.start();
    expect(await containerRollback('x')).toBe(204);
    expect(h.eventTypes()).toEqual(['release.failed']);
    expect(h.events()[0]?.error).toMatch(
      /does not know which image .* roll back with mode traffic/,
    );
  });

  it.each<[string, () => Promise<unknown>]>([
    ['a tick', () => tick()],
    ['another writer', () => Promise.resolve(h.emulator.run.touch(SERVICE))],
  ])(
    '%s between a container rollback’s deploy and the write naming its revision: 100% on the redeployed image, no template release',
    async (_name, between) => {
      h = await Harness.start();
      await promoted();
      // v3 at its first step, as in the demo's container scenario.
      await deliver('provisionGreen', 'gcr', {
        action: 'INSERT',
        digest: `${REPO}@${digestOf(3)}`,
        tag: `${REPO}:3.0.0`,
      });
      h.seed((await h.view()).record!.release!.candidate.revision, { requests: 5 });
      await tick();
      expect((await h.view()).record?.release?.phase).toBe('shifting');

      // The deploy of v1 lands with its record (rolled back, the new stable named as cutover asked
      // for it); the write after it (the revision as Cloud Run named it, the traffic onto it) waits
      // until `between` has run.
      const write = gate();
      const waiting = gate();
      const stop = h.emulator.run.onChange((snapshot) => {
        const created = snapshot.service.latest_created_revision ?? '';
        const revision = h.emulator.run.listRevisions(SERVICE).find((r) => r.name === created);
        if (!revision?.containers?.[0]?.image?.endsWith(digestOf(1))) return;
        stop();
        h.emulator.faults.inject('google.cloud.run.v2.Services/UpdateService', {
          times: 1,
          hold: write.promise,
          arrived: waiting.open,
        });
      });
      const rolling = deliver('rollback', 'cutover-rollback-requests', {
        service: SERVICE,
        mode: 'container',
        reason: 'bad model',
        requestedBy: 'ana',
      });
      await waiting.promise;
      const before = h.eventTypes().length;
      await between();
      write.open();
      expect(await rolling).toBe(204);

      const view = await h.view();
      const restored = view.record!.stable;
      const revisions = h.emulator.run.listRevisions(SERVICE);
      expect(restored.image).toBe(`${REPO}@${digestOf(1)}`);
      expect(revisions.map((r) => r.name.split('/').pop())).toContain(restored.revision);
      expect(await h.split()).toEqual({ [restored.revision]: 100 });
      expect(view.record?.release).toMatchObject({
        phase: 'rolled-back',
        trigger: 'manual-container',
      });
      const events = h.events().slice(before);
      expect(events.map((e) => e.type)).toEqual([
        'release.rolled-back',
        'terraform.sync-requested',
      ]);
      expect(events[0]?.stable).toMatchObject({ revision: restored.revision });
      expect(events[1]?.revision).toBe(restored.revision);
      // The redeploy is the only new revision: no template release of it.
      expect(revisions.filter((r) => r.containers?.[0]?.image?.endsWith(digestOf(1)))).toHaveLength(
        2,
      );
    },
  );
});

describe('bad input changes nothing and is acknowledged', () => {
  it.each<[string, string, string, { raw?: string }, unknown?]>([
    [
      'malformed JSON',
      'provisionGreen',
      'gcr',
      { raw: Buffer.from('{"action":').toString('base64') },
    ],
    ['bad base64', 'provisionGreen', 'gcr', { raw: '***not base64***' }],
    ['a wrong action', 'provisionGreen', 'gcr', {}, { action: 'UPSERT', tag: `${REPO}:2` }],
    [
      'an unknown service',
      'rollback',
      'cutover-rollback-requests',
      {},
      { service: 'nope', mode: 'traffic', reason: 'r', requestedBy: 'a' },
    ],
    [
      'an unknown event type',
      'advanceRelease',
      'cutover-deployment-events',
      {},
      { type: 'release.exploded' },
    ],
    [
      'an image no service follows',
      'provisionGreen',
      'gcr',
      {},
      {
        action: 'INSERT',
        digest: `x-docker.pkg.dev/p/r/other@${digestOf(2)}`,
        tag: 'x-docker.pkg.dev/p/r/other:1',
      },
    ],
  ])('%s', async (_n, fn, topic, options, body = {}) => {
    h = await Harness.start();
    const before = await h.view();
    expect(await deliver(fn, topic, body, options)).toBe(204);
    const after = await h.view();
    expect(after.etag).toBe(before.etag);
    expect(h.eventTypes()).toEqual([]);
  });

  it('an event older than maxEventAgeSeconds is acknowledged without action', async () => {
    h = await Harness.start({}, { maxEventAgeSeconds: 60 });
    const status = await deliver(
      'provisionGreen',
      'gcr',
      { action: 'INSERT', digest: `${REPO}@${digestOf(2)}`, tag: `${REPO}:2` },
      { publishTime: new Date(h.clock.now().getTime() - 3600_000) },
    );
    expect(status).toBe(204);
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(1);
  });

  it('a permanent API error is acknowledged and changes nothing; a transient one is retried by redelivery', async () => {
    h = await Harness.start();
    h.emulator.faults.inject('google.cloud.run.v2.Services/UpdateService', { code: 7, times: 1 });
    expect(
      await deliver('provisionGreen', 'gcr', {
        action: 'INSERT',
        digest: `${REPO}@${digestOf(2)}`,
        tag: `${REPO}:2`,
      }),
    ).toBe(204);
    expect(h.emulator.run.listRevisions(SERVICE)).toHaveLength(1);
    h.emulator.faults.inject('google.cloud.run.v2.Services/GetService', { code: 14, times: 20 });
    expect(
      await deliver('provisionGreen', 'gcr', {
        action: 'INSERT',
        digest: `${REPO}@${digestOf(3)}`,
        tag: `${REPO}:3`,
      }),
    ).toBe(500);
  });
});
