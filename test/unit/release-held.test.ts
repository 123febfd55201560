import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { heldInput, holdRequest, letGo } from '../../shared/domain/release-held.js';
import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const ref = (n: number) => `${REPO}@sha256:${String(n).repeat(64)}`;
const config = parseConfig({ services: [{ service: SERVICE, image: REPO, steps: [50, 100] }] })
  .services[0]!;
const now = new Date('2026-12-01T10:00:00Z');
const ctx = { config, now };
const step = (record: ServiceRecord, input: Parameters<typeof transition>[1]) =>
  transition(record, input, ctx).record;

const shifting = step(
  step(
    step(initialRecord({ revision: 'leakage-00001', image: ref(1) }), {
      type: 'push',
      releaseId: 'r2',
      image: ref(2),
      tag: '2.0.0',
    }),
    { type: 'candidate-ready', releaseId: 'r2' },
  ),
  { type: 'smoke-result', releaseId: 'r2', smoke: { passed: true, checks: [] } },
);
const failure = (request: Parameters<typeof holdRequest>[1]['request']) => ({
  request,
  requestedBy: 'ana',
  error: 'UpdateService failed with PERMISSION_DENIED: denied',
  fix: 'grant it',
});
const held = (request: Parameters<typeof holdRequest>[1]['request']) =>
  holdRequest(shifting, failure(request), ctx);

describe('a held request', () => {
  it('holds the release, publishes release.held once, and counts later attempts quietly', () => {
    const first = held({ type: 'rollback-traffic', reason: 'p95' });
    expect(first.record.held).toMatchObject({ attempts: 1, requestedBy: 'ana', fix: 'grant it' });
    expect(first.record.release?.holds?.map((h) => h.id)).toEqual(['request:rollback-traffic']);
    expect(first.commands.map((c) => c.kind === 'publish' && c.event.type)).toEqual([
      'release.held',
    ]);
    const again = holdRequest(
      first.record,
      failure({ type: 'rollback-traffic', reason: 'p95' }),
      ctx,
    );
    expect(again.record.held?.attempts).toBe(2);
    expect(again.commands).toEqual([]);
  });

  it('keeps an operator from promoting past it', () => {
    const record = held({ type: 'pause' }).record;
    const promote = transition(record, { type: 'promote', requestedBy: 'bo' }, ctx);
    expect(promote.ignored).toMatch(/^not promoted: pause by ana could not be carried out/);
  });

  it('is settled by carrying it out: the hold goes with it', () => {
    const record = held({ type: 'pause' }).record;
    const paused = transition(record, heldInput(record.held!), ctx).record;
    expect(paused.held).toBeNull();
    expect(paused.release).toMatchObject({ phase: 'shifting', paused: true, holds: [] });
  });

  it('let go (it no longer applies), it takes its hold with it and leaves other holds', () => {
    const record = held({ type: 'pause' }).record;
    const incident = {
      id: 'incident:i1',
      reason: 'incident i1 on the stable',
      since: now.toISOString(),
    };
    const both = {
      ...record,
      release: { ...record.release!, holds: [...record.release!.holds!, incident] },
    };
    expect(letGo(both)).toMatchObject({ held: null, release: { holds: [incident] } });
  });

  it('a rollback or pause is let go when the release ends otherwise; a container rollback is not', () => {
    const alert = {
      type: 'alert' as const,
      incidentId: 'i1',
      policy: null,
      revision: null,
      startedAt: null,
    };
    const pause = transition(held({ type: 'pause' }).record, alert, ctx).record;
    expect(pause).toMatchObject({ held: null, release: { phase: 'rolled-back' } });
    const container = held({
      type: 'rollback-container',
      reason: 'bad model',
      id: 'rb1',
      image: ref(0),
      tag: 'rollback-20261101T000000Z',
      revision: 'leakage-rb-rb1',
    }).record;
    expect(transition(container, alert, ctx).record.held?.request.type).toBe('rollback-container');
  });
});
