import { requestsOf, type RevisionMetrics } from './measurement.js';
import type { Release, ServiceRecord, Slot, TrafficShares } from '../schemas/release.js';
import { remember } from './release-endings.js';
import { eventBase, publish } from './release-events.js';
import type { ActiveRelease, MachineContext, Transition } from './release-input.js';

/** Percent per revision, revisions at 0 % left out (tag-only entries serve nothing). */
export type Split = Record<string, number>;

/** What the out-of-band rule reads of the service: traffic as written (spec) and as served (status). */
export interface TrafficState {
  written: ReadonlyArray<{ revision: string; percent: number }>;
  traffic: ReadonlyArray<{ revision: string; percent: number }>;
}

/** A change of the release's traffic that cutover did not make. */
export interface OutOfBand {
  /** `superseded`: a revision cutover did not create serves; `aborted`: the split was moved. */
  ending: 'superseded' | 'aborted';
  /** The revision cutover did not create with the most traffic, or null. */
  foreign: string | null;
  /** The split the release wrote, and what Cloud Run serves now. */
  expected: Split;
  serving: Split;
  /** The revision serving the most now: the stable from here on. */
  mostServed: string;
  reason: string;
}

export function splitOf(targets: ReadonlyArray<{ revision: string; percent: number }>): Split {
  const split: Split = {};
  for (const t of targets)
    if (t.percent > 0) split[t.revision] = (split[t.revision] ?? 0) + t.percent;
  return split;
}

const sameSplit = (a: Split, b: Split): boolean =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([revision, percent]) => b[revision] === percent);

const describe = (split: Split): string =>
  Object.entries(split)
    .sort(([, a], [, b]) => b - a)
    .map(([revision, percent]) => `${revision} ${percent}%`)
    .join(' / ') || 'nothing';

/** The split the active release wrote: the candidate's step percent (0 before shifting), the stable the rest. */
export function releaseSplit(record: ServiceRecord, active: ActiveRelease): Split {
  const percent = active.phase === 'shifting' ? active.step.percent : 0;
  return splitOf([
    { revision: record.stable.revision, percent: 100 - percent },
    { revision: active.candidate.revision, percent },
  ]);
}

/**
 * Someone changed the traffic of an active release outside cutover (`gcloud run deploy`, which
 * sends 100 % to its new revision; `gcloud run services update-traffic`; the console): both the
 * written split and the served one differ from the release's. Requiring both keeps out a write of
 * cutover's own still reconciling (written moved, served not yet) and a failed write Cloud Run kept
 * in the spec (written moved, served did not: missing-revision.ts). A revision other than the
 * stable and the candidate serving → `superseded`; only the two moved → `aborted`. Null otherwise.
 */
export function outOfBand(
  record: ServiceRecord,
  active: ActiveRelease,
  service: TrafficState,
): OutOfBand | null {
  const expected = releaseSplit(record, active);
  const written = splitOf(service.written);
  const serving = splitOf(service.traffic);
  if (sameSplit(written, expected) || sameSplit(serving, expected)) return null;
  const ours = new Set([record.stable.revision, active.candidate.revision]);
  const ranked = Object.entries(serving).sort(([, a], [, b]) => b - a);
  const foreign = ranked.find(([revision]) => !ours.has(revision))?.[0] ?? null;
  const mostServed = ranked[0]?.[0] ?? record.stable.revision;
  const what = foreign
    ? `revision ${foreign}, which cutover did not create, serves ${serving[foreign]}%`
    : 'the traffic split was changed outside cutover';
  return {
    ending: foreign ? 'superseded' : 'aborted',
    foreign,
    expected,
    serving,
    mostServed,
    reason: `${what}: serving ${describe(serving)}, release ${active.id} wrote ${describe(expected)}; cutover leaves the traffic as it is and ${mostServed} is the stable revision from now on`,
  };
}

/**
 * Ends the release as `change` says, WITHOUT a traffic command: the person's split stays (the
 * write that records the ending sends no traffic, cloud-run-masks.ts). The revision serving the
 * most becomes the stable (`adopted`, resolved by the caller for a revision cutover did not
 * create; null keeps the recorded stable). The image is not marked failed: nothing judged it.
 */
export function endOutOfBand(
  record: ServiceRecord,
  active: ActiveRelease,
  change: OutOfBand,
  adopted: Slot | null,
  ctx: MachineContext,
): Transition {
  const base = {
    id: active.id,
    candidate: active.candidate,
    tag: active.tag,
    startedAt: active.startedAt,
    endedAt: ctx.now.toISOString(),
  };
  const lastVerdict = active.phase === 'shifting' ? active.lastVerdict : null;
  const ended: Release =
    change.ending === 'superseded'
      ? { ...base, phase: 'superseded', supersededBy: change.foreign ?? '', reason: change.reason }
      : { ...base, phase: 'aborted', reason: change.reason, lastVerdict };
  const common = eventBase(ctx.config.service, active, ctx.now);
  const percent = change.serving[active.candidate.revision] ?? 0;
  const event =
    change.ending === 'superseded'
      ? publish({
          type: 'release.superseded',
          ...common,
          percent,
          supersededBy: change.foreign ?? '',
          reason: change.reason,
        })
      : publish({ type: 'release.aborted', ...common, percent, reason: change.reason });
  return {
    record: {
      ...record,
      stable: adopted ?? record.stable,
      release: ended,
      history: remember(record, {
        id: active.id,
        image: active.candidate.image,
        phase: change.ending,
        endedAt: base.endedAt,
        detail: change.reason,
      }),
    },
    commands: [event],
    ignored: null,
    summary: `${change.ending} ${active.id}: ${change.reason}`,
  };
}

/**
 * The step's written split beside the share of requests each side served over the window. Null
 * shares when a side has no data or neither served anything, and at 100 % (the stable's baseline
 * is an earlier window there, so the two counts are not shares of one window).
 */
export function trafficShares(
  percent: number,
  stable: RevisionMetrics,
  candidate: RevisionMetrics,
): TrafficShares {
  const written = { stable: 100 - percent, candidate: percent };
  if (percent >= 100) return { written, served: null, requests: null };
  const s = requestsOf(stable);
  const c = requestsOf(candidate);
  if (s === null || c === null || s + c === 0) return { written, served: null, requests: null };
  const share = (n: number): number => Math.round((1000 * n) / (s + c)) / 10;
  return {
    written,
    served: { stable: share(s), candidate: share(c) },
    requests: { stable: s, candidate: c },
  };
}

/** Points a share of requests may drift from the written split before the verdict says so. */
const AFFINITY_NOTE_POINTS = 10;

/**
 * A line for the verdict when the candidate served a share of requests far from its written
 * percent (session affinity, tag-URL requests); null otherwise.
 */
export function sharesAdvice(shares: TrafficShares): string | null {
  if (!shares.served || !shares.requests) return null;
  const gap = Math.abs(shares.served.candidate - shares.written.candidate);
  if (gap < AFFINITY_NOTE_POINTS) return null;
  return `the candidate served ${shares.served.candidate}% of requests (${shares.requests.candidate} of ${shares.requests.stable + shares.requests.candidate}) while ${shares.written.candidate}% is written: session affinity keeps users on the revision they first reached, and requests to a tag URL (smoke test, shadow replay) count too; the checks judge what each revision served`;
}
