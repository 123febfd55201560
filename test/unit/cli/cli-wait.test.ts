import { describe, expect, it } from 'vitest';
import { runWait, WAIT_EXIT } from '../../../cli/wait.js';
import { CliHarness, SERVICE, V2 } from './cli-harness.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

describe('cutover wait gates CI on the release', () => {
  it('exit 0 when the release is promoted', async () => {
    const h = new CliHarness();
    await h.shifting();
    h.onSleep = async (now) => {
      if (now - T0 >= 60_000) await h.drive({ type: 'promote', requestedBy: 'bo' });
    };
    expect(await runWait(SERVICE, { interval: '10s' }, h.env)).toBe(WAIT_EXIT.promoted);
    expect(h.out.join('')).toMatch(/r1 2\.0\.0: shifting at 10%\nr1 2\.0\.0: promoted\n$/);
    expect(h.nowMs - T0).toBe(60_000);
  });

  it('exit 1 when it is rolled back', async () => {
    const h = new CliHarness();
    await h.shifting();
    h.onSleep = async () =>
      h.drive({ type: 'alert', incidentId: 'i1', policy: 'p', revision: null, startedAt: null });
    expect(await runWait(SERVICE, { json: true }, h.env)).toBe(WAIT_EXIT.failed);
    expect(JSON.parse(h.out.join(''))).toMatchObject({ outcome: 'rolled-back', exitCode: 1 });
  });

  it('exit 2 when the timeout passes first', async () => {
    const h = new CliHarness();
    await h.shifting();
    expect(await runWait(SERVICE, { timeout: '5m', interval: '30s' }, h.env)).toBe(
      WAIT_EXIT.timeout,
    );
    expect(h.err.join('')).toMatch(/timed out after 300 s: r1 2\.0\.0: shifting at 10%/);
    expect(h.nowMs - T0).toBe(300_000);
  });

  it('--tag waits for the release of that tag to start, then to end', async () => {
    const h = new CliHarness();
    h.onSleep = async (now) => {
      if (now - T0 === 5_000) await h.shifting();
      if (now - T0 === 20_000) await h.drive({ type: 'promote', requestedBy: 'bo' });
    };
    expect(await runWait(SERVICE, { tag: '2.0.0', interval: '5s' }, h.env)).toBe(0);
    expect((await h.record())?.stable.image).toBe(V2);
  });

  it('exit 3 when the service cannot be read', async () => {
    const h = new CliHarness();
    const env = { ...h.env, open: () => Promise.reject(new Error('boom')) };
    await expect(runWait(SERVICE, {}, env)).rejects.toThrow('boom');
    const { TargetError } = await import('../../../cli/target-error.js');
    const env2 = { ...h.env, open: () => Promise.reject(new TargetError('no such')) };
    expect(await runWait(SERVICE, {}, env2)).toBe(WAIT_EXIT.error);
  });
});
