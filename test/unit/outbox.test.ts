import { describe, expect, it } from 'vitest';
import type { Command } from '../../shared/domain/commands.js';
import { actedOn, alreadyActedOn, minuteSlot } from '../../shared/domain/deliveries.js';
import { OUTBOX_LIMIT, dueEffects, enqueue, settle } from '../../shared/domain/outbox.js';
import { initialRecord } from '../../shared/domain/release-machine.js';
import type { DeploymentEvent } from '../../shared/schemas/events.js';
import { decodeRecord, encodeRecord } from '../../shared/schemas/record-codec.js';

const V1 = `r/leakage@sha256:${'1'.repeat(64)}`;
const base = initialRecord({ revision: 'leakage-00001', image: V1 });
const T = new Date('2026-12-01T11:00:00Z');
const later = (s: number) => new Date(T.getTime() + s * 1000);
const event = (type: 'release.step-started' | 'release.verdict', step = 0): DeploymentEvent =>
  ({
    type,
    service: 'projects/p/locations/l/services/leakage',
    releaseId: 'rel-1',
    step,
    percent: 10,
    at: T.toISOString(),
    verdict: null,
    ...(type === 'release.verdict' ? { decision: 'hold' } : {}),
  }) as DeploymentEvent;
const publish = (e: DeploymentEvent): Command => ({ kind: 'publish', event: e });
const writer = { owner: 'inv-a', dueAt: later(120) };

describe('the outbox', () => {
  it('numbers each effect and stamps the id on the event it publishes', () => {
    const next = enqueue(
      base,
      [
        { kind: 'update-service', traffic: [] },
        publish(event('release.step-started')),
        { kind: 'tag-image', image: V1, tag: 'rollback-x' },
      ],
      writer,
    );
    expect(next.outbox?.seq).toBe(2);
    expect(next.outbox?.owed.map((e) => [e.id, e.kind])).toEqual([
      ['service.1', 'publish'],
      ['service.2', 'tag-image'],
    ]);
    const first = next.outbox!.owed[0]!;
    expect(first.kind === 'publish' && first.event.id).toBe('service.1');
  });

  it('the same decision on the same record gets the same ids', () => {
    const a = enqueue(base, [publish(event('release.step-started'))], writer);
    const b = enqueue(base, [publish(event('release.step-started'))], {
      ...writer,
      owner: 'inv-b',
    });
    expect(a.outbox?.owed.map((e) => e.id)).toEqual(b.outbox?.owed.map((e) => e.id));
  });

  it('the writer carries out its effects at once; anyone else only once they are due', () => {
    const next = enqueue(base, [publish(event('release.step-started'))], writer);
    expect(dueEffects(next.outbox, 'inv-a', T)).toHaveLength(1);
    expect(dueEffects(next.outbox, 'inv-b', later(119))).toHaveLength(0);
    expect(dueEffects(next.outbox, 'inv-b', later(120))).toHaveLength(1);
  });

  it('settles by id: done effects go, failed ones stay with their error and attempts', () => {
    const next = enqueue(
      base,
      [publish(event('release.step-started')), { kind: 'tag-image', image: V1, tag: 't' }],
      writer,
    );
    const settled = settle(next, {
      done: ['service.1'],
      failed: [{ id: 'service.2', error: 'PERMISSION_DENIED; grant …' }],
    });
    expect(settled.outbox?.owed).toEqual([
      expect.objectContaining({
        id: 'service.2',
        attempts: 1,
        lastError: 'PERMISSION_DENIED; grant …',
      }),
    ]);
    expect(settle(settled, { done: ['service.1'], failed: [] }).outbox).toEqual(settled.outbox);
  });

  it(`stays within ${OUTBOX_LIMIT} effects by dropping the oldest verdict events`, () => {
    let record = base;
    for (let i = 0; i < OUTBOX_LIMIT + 3; i++)
      record = enqueue(record, [publish(event('release.verdict'))], writer);
    record = enqueue(record, [publish(event('release.step-started', 1))], writer);
    const owed = record.outbox!.owed;
    expect(owed).toHaveLength(OUTBOX_LIMIT);
    expect(owed.at(-1)).toMatchObject({ id: `service.${OUTBOX_LIMIT + 4}` });
  });

  it('round-trips through the annotations, and a quiet record writes no outbox annotation', () => {
    const next = enqueue(base, [publish(event('release.step-started'))], writer);
    expect(decodeRecord(encodeRecord(next))).toEqual(next);
    expect(Object.keys(encodeRecord(base))).not.toContain('cutover.dev/outbox');
  });
});

describe('deliveries', () => {
  it('a tick acts once per slot, and never on an older slot', () => {
    const slot = '2026-12-01T11:07:00.000Z';
    const seen = actedOn(base, { kind: 'tick', slot });
    expect(alreadyActedOn(base, { kind: 'tick', slot })).toBeNull();
    expect(alreadyActedOn(seen, { kind: 'tick', slot })).toMatch(/not newer/);
    expect(alreadyActedOn(seen, { kind: 'tick', slot: '2026-12-01T11:06:00.000Z' })).toMatch(
      /not newer/,
    );
    expect(alreadyActedOn(seen, { kind: 'tick', slot: '2026-12-01T11:08:00.000Z' })).toBeNull();
  });

  it('a message acts once by its id; the record remembers the last 20', () => {
    let record = actedOn(base, { kind: 'message', id: 'm-0' });
    expect(alreadyActedOn(record, { kind: 'message', id: 'm-0' })).toMatch(/already/);
    for (let i = 1; i <= 20; i++) record = actedOn(record, { kind: 'message', id: `m-${i}` });
    expect(record.inputs?.seen).toHaveLength(20);
    expect(alreadyActedOn(record, { kind: 'message', id: 'm-0' })).toBeNull();
  });

  it.each([
    ['2026-12-01T11:07:00.000Z', '2026-12-01T11:07:00.000Z'],
    ['2026-12-01T11:07:59.999Z', '2026-12-01T11:07:00.000Z'],
    ['2026-12-01T11:08:00.250Z', '2026-12-01T11:08:00.000Z'],
  ])('a tick published at %s without a slot is the tick of %s', (published, slot) => {
    expect(minuteSlot(new Date(published))).toBe(slot);
  });
});
