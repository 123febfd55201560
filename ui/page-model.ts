import { z } from 'zod';
import { DeploymentEvent, type ReleaseEvent } from '../shared/schemas/events.js';
import type { ServiceView } from '../shared/ports/service-platform.js';
import type { CheckResult } from '../shared/schemas/release.js';

/** One point of a check's chart: the tick's verdict with its evidence. */
export interface CheckPoint {
  at: string;
  candidate: number | null;
  baseline: number | null;
  limit: number | null;
  outcome: CheckResult['outcome'];
  samples: number;
  /** The judge's words, interval included. */
  reason: string;
}

/** Requests per second and 5xx share of one revision over one bucket of time (Cloud Monitoring). */
export interface RatePoint {
  at: string;
  stableRps: number | null;
  candidateRps: number | null;
  stable5xx: number | null;
  candidate5xx: number | null;
}

export interface PageModel {
  service: string;
  view: Omit<ServiceView, 'etag'>;
  /** The release's phases and people's actions, oldest first. */
  timeline: Array<{ at: string; what: string; by: string | null }>;
  /** Candidate percent after each change, oldest first. */
  split: Array<{ at: string; percent: number }>;
  checks: Record<string, CheckPoint[]>;
  rates: RatePoint[];
  releases: Array<{
    id: string;
    phase: string;
    endedAt: string;
    detail: string;
    by: string | null;
  }>;
  /** Where the events came from, or why there are none. */
  eventsNote: string | null;
}

/** Events of this service's current release, parsed tolerantly (a shape this build does not know is skipped). */
export function releaseEvents(
  raw: unknown[],
  service: string,
  releaseId: string | null,
): ReleaseEvent[] {
  const out: ReleaseEvent[] = [];
  for (const item of raw) {
    const parsed = DeploymentEvent.safeParse(item);
    if (!parsed.success || !('releaseId' in parsed.data)) continue;
    if (parsed.data.service !== service || parsed.data.releaseId !== releaseId) continue;
    out.push(parsed.data);
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

function what(e: ReleaseEvent): string {
  const name = e.type.replace(/^release\./, '');
  if (e.type === 'release.step-started') return `step ${(e.step ?? 0) + 1} at ${e.percent}%`;
  if (e.type === 'release.verdict')
    return `verdict ${e.verdict?.outcome ?? '?'} at ${e.percent}%: ${e.decision}`;
  if (e.type === 'release.rolled-back') return `rolled back (${e.trigger}): ${e.reason}`;
  return name;
}

/** Builds what the page shows from the record, the release's events and Monitoring rates. */
export function pageModel(
  view: ServiceView,
  rawEvents: unknown[],
  rates: RatePoint[],
  eventsNote: string | null,
): PageModel {
  const { etag: _etag, ...shown } = view;
  const record = view.record;
  const release = record?.release ?? null;
  const events = releaseEvents(rawEvents, view.name, release?.id ?? null);
  const timeline: PageModel['timeline'] = [];
  if (release)
    timeline.push({
      at: release.startedAt,
      what: `push of ${release.tag}: provisioning`,
      by: null,
    });
  for (const e of events) {
    if (e.type === 'release.verdict') continue;
    const by = 'requestedBy' in e && typeof e.requestedBy === 'string' ? e.requestedBy : null;
    timeline.push({ at: e.at, what: what(e), by });
  }
  for (const a of record?.actions ?? [])
    if (a.releaseId === release?.id)
      timeline.push({ at: a.at, what: `${a.action} (by hand)`, by: a.by });
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const split: PageModel['split'] = release ? [{ at: release.startedAt, percent: 0 }] : [];
  for (const e of events)
    if (e.type !== 'release.verdict' && split.at(-1)?.percent !== e.percent)
      split.push({ at: e.at, percent: e.percent });

  const checks: Record<string, CheckPoint[]> = {};
  const seen = new Set<string>();
  const verdicts = events.flatMap((e) => (e.verdict ? [e.verdict] : []));
  if (release && 'lastVerdict' in release && release.lastVerdict)
    verdicts.push(release.lastVerdict);
  for (const v of verdicts) {
    if (seen.has(v.at)) continue;
    seen.add(v.at);
    for (const c of v.checks)
      (checks[c.check] ??= []).push({
        at: v.at,
        candidate: c.observed,
        baseline: c.baseline,
        limit: c.limit,
        outcome: c.outcome,
        samples: c.samples,
        reason: c.reason,
      });
  }
  for (const points of Object.values(checks)) points.sort((a, b) => a.at.localeCompare(b.at));

  return {
    service: view.name,
    view: shown,
    timeline,
    split,
    checks,
    rates,
    releases: (record?.history ?? []).map((h) => ({
      id: h.id,
      phase: h.phase,
      endedAt: h.endedAt,
      detail: h.detail,
      by: h.by ?? null,
    })),
    eventsNote,
  };
}

const Value = z.object({ kind: z.literal('value'), value: z.unknown() });
/** Requests and 5xx of a measurement in either shape the metrics source has spoken (count or counts). */
export function countsOf(summary: unknown): { requests: number; errors5xx: number } | null {
  const s = z.object({ requests: Value, errors5xx: Value.optional() }).safeParse(summary);
  if (!s.success) return null;
  const r = s.data.requests.value;
  if (typeof r === 'number') {
    const e = s.data.errors5xx?.value;
    return { requests: r, errors5xx: typeof e === 'number' ? e : 0 };
  }
  const counts = z.object({ requests: z.number(), errors5xx: z.number() }).safeParse(r);
  return counts.success ? counts.data : null;
}
