import { describe, expect, it } from 'vitest';
import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import { parseConfig } from '../../shared/config/load.js';
import { InvalidPayloadError } from '../../shared/errors.js';
import { decodeRecord, encodeRecord, mergeRecord } from '../../shared/schemas/record-codec.js';
import { DeploymentEvent } from '../../shared/schemas/events.js';

const config = parseConfig({
  services: [{ service: 'projects/p/locations/l/services/svc', image: 'l-docker.pkg.dev/p/r/img' }],
}).services[0]!;
const base = initialRecord({
  revision: 'svc-00001-abc',
  image: 'l-docker.pkg.dev/p/r/img@sha256:1',
});
const shifting = [
  { type: 'push', releaseId: 'r1', image: 'l-docker.pkg.dev/p/r/img@sha256:2', tag: '2' },
  { type: 'candidate-ready', releaseId: 'r1' },
  { type: 'smoke-result', releaseId: 'r1', smoke: { passed: true, checks: [] } },
].reduce(
  (record, input, i) =>
    transition(record, input as never, { config, now: new Date(i * 1000) }).record,
  base,
);

describe('release record in cutover.dev/ annotations', () => {
  it('round-trips every phase the machine produces', () => {
    expect(decodeRecord(encodeRecord(base))).toEqual(base);
    expect(decodeRecord(encodeRecord(shifting))).toEqual(shifting);
  });

  it('shows release id and phase as plain values for `gcloud run services describe`', () => {
    expect(encodeRecord(shifting)).toMatchObject({
      'cutover.dev/release-id': 'r1',
      'cutover.dev/phase': 'shifting',
    });
  });

  it('keeps every annotation it does not own, and drops stale cutover.dev/ keys', () => {
    const merged = mergeRecord(
      { 'cloudfunctions.googleapis.com/function-id': 'x', 'cutover.dev/release': '{}', team: 'ml' },
      base,
    );
    expect(merged).toMatchObject({ 'cloudfunctions.googleapis.com/function-id': 'x', team: 'ml' });
    expect(merged['cutover.dev/release']).toBeUndefined();
  });

  it('is null on a service cutover never touched', () => {
    expect(decodeRecord({ 'run.googleapis.com/ingress': 'all' })).toBeNull();
    expect(decodeRecord(undefined)).toBeNull();
  });

  it.each([
    ['not JSON', { 'cutover.dev/stable': '{' }, 'cutover.dev/stable: not valid JSON'],
    [
      'a wrong color',
      { 'cutover.dev/stable': '{"revision":"a","image":"b","color":"red"}' },
      'stable.color',
    ],
    [
      'an unknown phase',
      {
        ...encodeRecord(shifting),
        'cutover.dev/release': JSON.stringify({ ...shifting.release, phase: 'dancing' }),
      },
      'release.phase',
    ],
  ])('rejects %s, naming the field', (_n, annotations, field) => {
    let error: unknown;
    try {
      decodeRecord(annotations);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).issues.join('\n')).toContain(field);
  });
});

describe('deployment events', () => {
  it('every event the machine publishes parses as a DeploymentEvent', () => {
    const inputs = [
      { type: 'push', releaseId: 'r1', image: 'l-docker.pkg.dev/p/r/img@sha256:2', tag: '2' },
      { type: 'candidate-ready', releaseId: 'r1' },
      { type: 'smoke-result', releaseId: 'r1', smoke: { passed: true, checks: [] } },
      { type: 'pause', requestedBy: 'a' },
      { type: 'resume', requestedBy: 'a' },
      { type: 'alert', incidentId: 'i', policy: null, revision: null, startedAt: null },
    ];
    let record = base;
    const events: unknown[] = [];
    inputs.forEach((input, i) => {
      const t = transition(record, input as never, { config, now: new Date(i * 1000) });
      record = t.record;
      for (const c of t.commands) if (c.kind === 'publish') events.push(c.event);
    });
    expect(events.length).toBe(6);
    for (const e of events) expect(DeploymentEvent.safeParse(e).success).toBe(true);
  });

  it.each([
    [{ type: 'release.exploded' }],
    [{ type: 'release.promoted', service: 's' }],
    [{ type: 'release.tick', service: '' }],
    [{ type: 'operator.promote' }],
    ['release.tick'],
  ])('rejects %j', (event) => {
    expect(DeploymentEvent.safeParse(event).success).toBe(false);
  });

  it('accepts the scheduler tick as Cloud Scheduler publishes it', () => {
    expect(DeploymentEvent.parse({ type: 'release.tick' })).toEqual({ type: 'release.tick' });
  });
});
