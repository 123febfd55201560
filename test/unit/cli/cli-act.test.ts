import { describe, expect, it } from 'vitest';
import { act } from '../../../cli/act.js';
import { CliHarness, SERVICE, V1 } from './cli-harness.js';

describe('mutating commands wait for the outcome', () => {
  it.each([
    ['pause', /^paused r1 at 10% \(by ana@example.com\) at 2026-11-28T10:00:03/],
    ['promote', /^promoted r1: .* is now stable at 2026-11-28T10:00:03/],
    ['rollback', /^rolled back r1 \(manual-traffic\): .* at 2026-11-28T10:00:03/],
  ] as const)(
    '%s: publishes, waits for the record, says what happened, exit 0',
    async (action, said) => {
      const h = new CliHarness();
      await h.shifting();
      const code = await act(action, SERVICE, { reason: 'bad numbers' }, h.env);
      expect(h.err.join('')).toBe('');
      expect(code).toBe(0);
      expect(h.out.join('')).toMatch(said);
      expect((await h.record())?.actions?.[0]).toMatchObject({ by: 'ana@example.com' });
    },
  );

  it('resume after pause', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'pause', requestedBy: 'bo' });
    expect(await act('resume', SERVICE, { by: 'cy' }, h.env)).toBe(0);
    expect(h.out.join('')).toMatch(/^resumed r1 .*by cy/);
  });

  it('nothing to do: refuses at once with why, publishes nothing, exit 1', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'promote', requestedBy: 'bo' });
    const code = await act('rollback', SERVICE, { reason: 'x' }, h.env);
    expect(code).toBe(1);
    expect(h.err.join('')).toMatch(
      /nothing changed: no active release: the last one \(r1, 2\.0\.0\) was promoted at 2026-11-28T10:00:00.000Z by bo; use `cutover undo`/,
    );
    expect(h.bus.messages('cutover-rollback-requests')).toEqual([]);
  });

  it('nothing to do on an already paused release, in JSON', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'pause', requestedBy: 'bo' });
    expect(await act('pause', SERVICE, { json: true }, h.env)).toBe(1);
    expect(JSON.parse(h.out.join(''))).toMatchObject({
      ok: false,
      outcome: 'nothing-to-do',
      message: 'nothing changed: release r1 is already paused',
    });
  });

  it('functions down: says the request went out but nothing changed, exit 2 at the timeout', async () => {
    const h = new CliHarness();
    await h.shifting();
    h.functionDelayMs = null;
    expect(await act('pause', SERVICE, { timeout: '30s' }, h.env)).toBe(2);
    expect(h.err.join('')).toMatch(
      /did not change within 30 s: is the advanceRelease function running/,
    );
    expect(h.nowMs - Date.parse('2026-11-28T10:00:00Z')).toBe(30_000);
  });

  it('another change got there first: exit 1 naming the new state', async () => {
    const h = new CliHarness();
    await h.shifting();
    h.functionDelayMs = null;
    h.onSleep = async () =>
      h.drive({ type: 'alert', incidentId: 'i1', policy: null, revision: null, startedAt: null });
    expect(await act('promote', SERVICE, {}, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(/changed, but not by this request: release r1 is rolled-back/);
  });

  it('rollback --container: done once the redeployed image serves, exit 0', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'promote', requestedBy: 'bo' });
    expect(await act('rollback-container', SERVICE, { reason: 'bad model' }, h.env)).toBe(0);
    expect(h.out.join('')).toMatch(/container rollback/);
    const stable = (await h.record())!.stable;
    expect(stable.image).toBe(V1);
    expect((await h.platform.get(SERVICE)).traffic).toMatchObject([
      { revision: stable.revision, percent: 100 },
    ]);
  });

  it('rollback --container whose image does not start: says so and why, exit 1', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'promote', requestedBy: 'bo' });
    const promoted = (await h.record())!.stable;
    h.platform.setStarter(() => ({ ready: false, message: 'container exited with status 1' }));
    expect(await act('rollback-container', SERVICE, { reason: 'bad model' }, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(
      /the container rollback did not take: .*did not start \(container exited with status 1\); .* keeps serving/,
    );
    expect((await h.record())!.stable).toEqual(promoted);
  });

  it('undo after a promotion: the previous revision serves 100% again', async () => {
    const h = new CliHarness();
    await h.shifting();
    await h.drive({ type: 'promote', requestedBy: 'bo' });
    expect(await act('undo', SERVICE, { reason: 'regression' }, h.env)).toBe(0);
    const record = await h.record();
    expect(record?.stable.revision).toBe('leakage-model-00001-abc');
    expect(record?.release).toMatchObject({ phase: 'rolled-back', requestedBy: 'ana@example.com' });
    const served = (await h.platform.get(SERVICE)).traffic.find((t) => t.percent === 100);
    expect(served?.revision).toBe('leakage-model-00001-abc');
  });

  it('undo without a promotion: nothing to undo, exit 1', async () => {
    const h = new CliHarness();
    await h.shifting();
    expect(await act('undo', SERVICE, {}, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(/nothing changed: .*not promoted/);
  });
});

describe('cutover retry', () => {
  const V2 = `us-central1-docker.pkg.dev/p/models/leakage-model@sha256:${'2'.repeat(64)}`;
  async function rolledBack(h: CliHarness) {
    await h.shifting();
    await h.drive({ type: 'rollback-traffic', requestedBy: 'bo', reason: 'bad numbers' });
    expect((await h.record())?.failedImages).toEqual([V2]);
  }

  it('releases the newest failed image again, clears it from the failed list, records the actor', async () => {
    const h = new CliHarness();
    await rolledBack(h);
    expect(await act('retry', SERVICE, {}, h.env)).toBe(0);
    expect(h.out.join('')).toMatch(
      /^retry of 2\.0\.0: started release x1 .* \(by ana@example.com\)/,
    );
    const record = await h.record();
    expect(record?.failedImages).toEqual([]);
    expect(record?.release).toMatchObject({
      id: 'x1',
      phase: 'smoke-testing',
      tag: '2.0.0',
      requestedBy: 'ana@example.com',
      candidate: { image: V2 },
    });
    expect(record?.actions?.[0]).toMatchObject({ action: 'retry', by: 'ana@example.com' });
    expect(h.bus.messages('cutover-deployment-events').map((m) => m.json)).toContainEqual(
      expect.objectContaining({ type: 'operator.retry', requestedBy: 'ana@example.com' }),
    );
  });

  it('--image names the digest to retry', async () => {
    const h = new CliHarness();
    await rolledBack(h);
    expect(await act('retry', SERVICE, { image: `sha256:${'2'.repeat(64)}` }, h.env)).toBe(0);
    expect((await h.record())?.release).toMatchObject({ id: 'x1', candidate: { image: V2 } });
  });

  it('refuses while a release is active, saying why, and publishes nothing', async () => {
    const h = new CliHarness();
    await h.shifting();
    expect(await act('retry', SERVICE, {}, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(
      /nothing changed: release r1 \(2\.0\.0\) is still shifting: a retry starts a release/,
    );
    const types = h.bus.messages('cutover-deployment-events').map((m) => m.attributes?.type);
    expect(types).not.toContain('operator.retry');
  });

  it('refuses an image that neither failed nor aborted, and a malformed digest', async () => {
    const h = new CliHarness();
    await rolledBack(h);
    const other = `sha256:${'3'.repeat(64)}`;
    expect(await act('retry', SERVICE, { image: other }, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(`${other} neither failed nor was aborted on this service`);
    expect(await act('retry', SERVICE, { image: 'sha256:abc' }, h.env)).toBe(1);
    expect(h.err.join('')).toMatch(/--image sha256:abc: must be sha256: and 64 hex digits/);
  });
});
