import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { silentRevision, measured, type RevisionMetrics } from '../../shared/domain/measurement.js';
import {
  endOutOfBand,
  outOfBand,
  sharesAdvice,
  trafficShares,
} from '../../shared/domain/out-of-band.js';
import type { ActiveRelease } from '../../shared/domain/release-input.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const config = parseConfig({ services: [{ service: SERVICE, image: REPO }] }).services[0]!;
const BLUE = 'leakage-00001-abc';
const GREEN = 'leakage-00002-xyz';
const THEIRS = 'leakage-00003-per';

const shifting: ActiveRelease = {
  id: 'r1',
  phase: 'shifting',
  candidate: { revision: GREEN, image: `${REPO}@sha256:${'2'.repeat(64)}`, color: 'green' },
  tag: '2.0.0',
  startedAt: '2026-12-01T09:00:00Z',
  step: { index: 0, percent: 10, startedAt: '2026-12-01T09:01:00Z', previousStartedAt: null },
  consecutiveFailures: 0,
  inconclusiveSince: null,
  stalled: false,
  paused: false,
  lastVerdict: null,
};
const record: ServiceRecord = {
  stable: { revision: BLUE, image: `${REPO}@sha256:${'1'.repeat(64)}`, color: 'blue' },
  release: shifting,
  failedImages: [],
  history: [],
};
type T = Array<{ revision: string; percent: number }>;
const split = (...pairs: Array<[string, number]>): T =>
  pairs.map(([revision, percent]) => ({ revision, percent }));
const ours = split([BLUE, 90], [GREEN, 10], [GREEN, 0]);

describe('outOfBand: traffic of an active release that cutover did not write', () => {
  it.each<[string, T, T, string | null, string | null]>([
    ['the release’s own split', ours, ours, null, null],
    ['its own write still reconciling (served lags)', ours, split([BLUE, 100]), null, null],
    [
      'a failed write kept in the spec (served did not move)',
      split([BLUE, 50], [GREEN, 50]),
      ours,
      null,
      null,
    ],
    [
      '`gcloud run deploy`: 100% to a new revision',
      split([THEIRS, 100]),
      split([THEIRS, 100]),
      'superseded',
      THEIRS,
    ],
    [
      'a split naming a revision cutover did not create',
      split([BLUE, 80], [THEIRS, 20]),
      split([BLUE, 80], [THEIRS, 20]),
      'superseded',
      BLUE,
    ],
    [
      '`update-traffic` between blue and green',
      split([BLUE, 40], [GREEN, 60]),
      split([BLUE, 40], [GREEN, 60]),
      'aborted',
      GREEN,
    ],
    ['`update-traffic` all back to blue', split([BLUE, 100]), split([BLUE, 100]), 'aborted', BLUE],
  ])('%s', (_, written, traffic, ending, mostServed) => {
    const found = outOfBand(record, shifting, { written, traffic });
    expect(found?.ending ?? null).toBe(ending);
    expect(found?.mostServed ?? null).toBe(mostServed);
  });

  it('before shifting the release’s split is 100% on the stable', () => {
    const smoke: ActiveRelease = { ...shifting, phase: 'smoke-testing' } as ActiveRelease;
    const all = split([BLUE, 100], [GREEN, 0]);
    expect(outOfBand(record, smoke, { written: all, traffic: all })).toBeNull();
    expect(outOfBand(record, smoke, { written: ours, traffic: ours })?.ending).toBe('aborted');
  });

  it('ends the release without any traffic command, the serving revision adopted as the stable', () => {
    const found = outOfBand(record, shifting, {
      written: split([THEIRS, 100]),
      traffic: split([THEIRS, 100]),
    })!;
    const adopted = {
      revision: THEIRS,
      image: `${REPO}@sha256:${'7'.repeat(64)}`,
      color: 'green' as const,
    };
    const t = endOutOfBand(record, shifting, found, adopted, {
      config,
      now: new Date('2026-12-01T09:05:00Z'),
    });
    expect(t.commands.map((c) => c.kind)).toEqual(['publish']);
    expect(t.record.stable).toEqual(adopted);
    expect(t.record.release).toMatchObject({ phase: 'superseded', supersededBy: THEIRS });
    expect(t.record.failedImages).toEqual([]);
    expect(found.reason).toBe(
      `revision ${THEIRS}, which cutover did not create, serves 100%: serving ${THEIRS} 100%, release r1 wrote ${BLUE} 90% / ${GREEN} 10%; cutover leaves the traffic as it is and ${THEIRS} is the stable revision from now on`,
    );
  });
});

const served = (requests: number): RevisionMetrics => ({
  ...silentRevision('unused'),
  requests: measured({ requests, errors5xx: 0 }),
});

describe('trafficShares: the split written beside what each side served', () => {
  it.each<[number, RevisionMetrics, RevisionMetrics, { stable: number; candidate: number } | null]>(
    [
      [10, served(900), served(100), { stable: 90, candidate: 10 }],
      [10, served(600), served(400), { stable: 60, candidate: 40 }],
      [50, served(1), served(2), { stable: 33.3, candidate: 66.7 }],
      [10, served(0), served(0), null],
      [10, silentRevision('no series'), served(5), null],
      [100, served(900), served(100), null],
    ],
  )('at %i%% written', (percent, stable, candidate, expected) => {
    expect(trafficShares(percent, stable, candidate).served).toEqual(expected);
  });

  it('says so when the candidate served 10 points or more away from its percent', () => {
    expect(sharesAdvice(trafficShares(10, served(910), served(90)))).toBeNull();
    expect(sharesAdvice(trafficShares(10, served(800), served(200)))).toContain(
      'the candidate served 20% of requests (200 of 1000) while 10% is written',
    );
  });
});
