import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import {
  initialRecord,
  transition,
  type ReleaseInput,
  type Transition,
} from '../../shared/domain/release-machine.js';
import { ServiceRecord } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
const config = parseConfig({
  services: [
    {
      service: SERVICE,
      image: REPO,
      steps: [10, 100],
      colors: { blue: { env: {} }, green: { env: {} } },
    },
  ],
}).services[0]!;
const T0 = Date.parse('2026-11-28T10:00:00Z');

function run(inputs: ReleaseInput[]): { record: ServiceRecord; last: Transition } {
  let record = initialRecord({ revision: 'leakage-00001-abc', image: V1 });
  let last!: Transition;
  inputs.forEach((input, i) => {
    last = transition(record, input, { config, now: new Date(T0 + i * 60_000) });
    record = ServiceRecord.parse(last.record);
  });
  return { record, last };
}

const toShifting: ReleaseInput[] = [
  { type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' },
  { type: 'candidate-ready', releaseId: 'r1' },
  { type: 'smoke-result', releaseId: 'r1', smoke: { passed: true, checks: [] } },
];

describe('actors of manual actions', () => {
  it('pause, resume and promote are recorded with who and when; the promotion names its actor', () => {
    const { record, last } = run([
      ...toShifting,
      { type: 'pause', requestedBy: 'ana' },
      { type: 'resume', requestedBy: 'bo' },
      { type: 'promote', requestedBy: 'cy' },
    ]);
    expect(record.actions?.map((a) => [a.action, a.by, a.at])).toEqual([
      ['promote', 'cy', '2026-11-28T10:05:00.000Z'],
      ['resume', 'bo', '2026-11-28T10:04:00.000Z'],
      ['pause', 'ana', '2026-11-28T10:03:00.000Z'],
    ]);
    expect(record.history[0]).toMatchObject({ phase: 'promoted', by: 'cy' });
    expect(record.release).toMatchObject({ phase: 'promoted', requestedBy: 'cy' });
    const event = last.commands.find((c) => c.kind === 'publish');
    expect(event).toMatchObject({ event: { type: 'release.promoted', requestedBy: 'cy' } });
  });

  it('an ignored manual input is not recorded: nothing happened', () => {
    const { record, last } = run([{ type: 'pause', requestedBy: 'ana' }]);
    expect(last.ignored).toMatch(/no active release/);
    expect(record.actions ?? []).toEqual([]);
  });

  it('a manual rollback names its actor in the history', () => {
    const { record } = run([
      ...toShifting,
      { type: 'rollback-traffic', requestedBy: 'di', reason: 'x' },
    ]);
    expect(record.history[0]).toMatchObject({ phase: 'rolled-back', by: 'di' });
  });
});

describe('undo of a promotion', () => {
  const promoted = [...toShifting, { type: 'promote', requestedBy: 'cy' } as ReleaseInput];

  it('puts 100% back on the stable it replaced and records a manual rollback by its actor', () => {
    const { record, last } = run([...promoted, { type: 'undo', requestedBy: 'ed', reason: 'bad' }]);
    expect(last.ignored).toBeNull();
    expect(record.stable).toEqual({ revision: 'leakage-00001-abc', image: V1, color: 'blue' });
    expect(record.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'manual-traffic',
      requestedBy: 'ed',
    });
    expect(record.failedImages).toContain(V2);
    expect(record.history[0]).toMatchObject({ id: 'r1', phase: 'rolled-back', by: 'ed' });
    expect(record.actions?.[0]).toMatchObject({ action: 'undo', by: 'ed', releaseId: 'r1' });
    // The candidate keeps its color tag at 0%; its version tag (if any) moves to the stable.
    expect(last.commands[0]).toMatchObject({
      kind: 'update-service',
      traffic: expect.arrayContaining([
        { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
        { revision: 'leakage-r1', percent: 0, tag: 'green' },
      ]),
    });
    expect(last.commands[1]).toMatchObject({
      event: { type: 'release.rolled-back', requestedBy: 'ed', percent: 0 },
    });
  });

  it.each([
    [[], /has not promoted/],
    [toShifting, /is shifting, not promoted/],
    [
      [...promoted, { type: 'undo', requestedBy: 'ed', reason: 'x' } as ReleaseInput],
      /rolled-back, not promoted/,
    ],
  ])('changes nothing without a promotion to undo (%#)', (before, why) => {
    const { last } = run([...before, { type: 'undo', requestedBy: 'ed', reason: 'x' }]);
    expect(last.ignored).toMatch(why);
    expect(last.commands).toEqual([]);
  });
});
