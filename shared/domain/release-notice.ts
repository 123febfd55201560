import { splitServiceName } from './service-ref.js';
import type { ReleaseEvent } from '../schemas/events.js';
import type { CheckResult } from '../schemas/release.js';

/** A release event as people read it, before any chat tool's format. */
export interface Notice {
  tone: 'good' | 'bad' | 'warning' | 'info';
  /** `leakage-model · promoted`. */
  title: string;
  /** What happened, in one sentence. */
  summary: string;
  facts: Array<{ label: string; value: string }>;
  /** One line per check of the verdict: outcome, green vs baseline, limit, n. */
  checks: string[];
  links: Array<{ text: string; url: string }>;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function value(check: CheckResult['check'], v: number | null): string {
  if (v === null) return 'no data';
  if (check === 'error-rate') return pct(v);
  if (check === 'p95-latency') return `${v.toFixed(0)} ms`;
  return v.toFixed(3);
}

/** `✅ error-rate pass: 0.10% vs 0.05%, limit 2.00%, n=1200 (reason)`. */
export function checkLine(c: CheckResult): string {
  const mark = c.outcome === 'pass' ? '✅' : c.outcome === 'fail' ? '❌' : '❔';
  const baseline = c.baseline === null ? '' : ` vs ${value(c.check, c.baseline)}`;
  const limit = c.limit === null ? '' : `, limit ${value(c.check, c.limit)}`;
  return `${mark} ${c.check} ${c.outcome}: ${value(c.check, c.observed)}${baseline}${limit}, n=${c.samples}${c.critical ? ', critical' : ''} (${c.reason})`;
}

/** The Cloud Run console page of a service's revisions. */
export function consoleUrl(service: string): string | null {
  const parts = splitServiceName(service);
  if (!parts) return null;
  return `https://console.cloud.google.com/run/detail/${parts.location}/${parts.id}/revisions?project=${parts.project}`;
}

function headline(event: ReleaseEvent): Pick<Notice, 'tone' | 'summary'> & { what: string } {
  const at = `${event.percent}%`;
  switch (event.type) {
    case 'release.provisioned':
      return {
        tone: 'info',
        what: 'candidate ready',
        summary: `${event.candidate.revision} (${event.candidate.color}) is ready at 0% beside ${event.stable.revision} (${event.stable.color}); smoke testing`,
      };
    case 'release.smoke-passed':
      return {
        tone: 'info',
        what: 'smoke test passed',
        summary: `the candidate passed ${event.smoke.checks.length} smoke checks on its tag URL`,
      };
    case 'release.step-started':
      return {
        tone: 'info',
        what: `step ${(event.step ?? 0) + 1} at ${at}`,
        summary: `the candidate now serves ${at} of requests`,
      };
    case 'release.verdict':
      return {
        tone: event.decision === 'stalled' ? 'warning' : 'info',
        what: event.decision === 'stalled' ? 'stalled' : `holding at ${at}`,
        summary:
          event.decision === 'stalled'
            ? `the release has been inconclusive too long at ${at}: it needs more traffic or a person`
            : `the verdict at ${at} is ${event.verdict?.outcome ?? 'not in'}; holding`,
      };
    case 'release.promoted':
      return {
        tone: 'good',
        what: 'promoted',
        summary: `${event.stable.revision} is the stable revision at 100%${event.requestedBy ? `, promoted by ${event.requestedBy}` : ''}${event.rollbackTag ? `; the previous image is tagged ${event.rollbackTag}` : ''}`,
      };
    case 'release.rolled-back':
      return {
        tone: 'bad',
        what: `rolled back (${event.trigger})`,
        summary: `all traffic is back on ${event.stable.revision}: ${event.reason}${event.requestedBy ? ` (by ${event.requestedBy})` : ''}`,
      };
    case 'release.superseded':
      return {
        tone: 'warning',
        what: 'superseded',
        summary: event.reason ?? `a newer push (${event.supersededBy}) replaced this release`,
      };
    case 'release.rejected':
      return {
        tone: 'warning',
        what: 'push rejected',
        summary: `${event.image} was not released: ${event.reason}`,
      };
    case 'release.paused':
    case 'release.resumed': {
      const verb = event.type === 'release.paused' ? 'paused' : 'resumed';
      return {
        tone: 'warning',
        what: verb,
        summary: `${verb} at ${at} by ${event.requestedBy ?? 'someone'}`,
      };
    }
    case 'release.failed':
      return { tone: 'bad', what: 'failed', summary: `cutover could not act: ${event.error}` };
    default: {
      // An event type added later: say its name rather than fail.
      const other: { type: string } = event;
      return { tone: 'info', what: other.type.replace(/^release\./, ''), summary: other.type };
    }
  }
}

/**
 * The notice for one release event: what happened, the numbers behind the verdict (every check
 * with n and its limit), who acted, and links to the release page and the Cloud Run console.
 */
export function releaseNotice(event: ReleaseEvent, releasePageUrl: string | null): Notice {
  const name = splitServiceName(event.service)?.id ?? event.service;
  const head = headline(event);
  const by = 'requestedBy' in event && event.requestedBy ? event.requestedBy : null;
  const facts = [
    { label: 'Release', value: event.releaseId },
    { label: 'Candidate traffic', value: `${event.percent}%` },
    ...(event.step === null ? [] : [{ label: 'Step', value: String(event.step + 1) }]),
    ...(by ? [{ label: 'By', value: by }] : []),
    ...(event.verdict
      ? [
          {
            label: 'Verdict',
            value: `${event.verdict.outcome}${event.verdict.critical ? ' (critical)' : ''} over ${event.verdict.window.start} → ${event.verdict.window.end}`,
          },
        ]
      : []),
    { label: 'At', value: event.at },
  ];
  const page = releasePageUrl
    ? `${releasePageUrl.replace(/\/$/, '')}/services/${encodeURIComponent(event.service)}`
    : null;
  const console = consoleUrl(event.service);
  return {
    tone: head.tone,
    title: `${name} · ${head.what}`,
    summary: head.summary,
    facts,
    checks: (event.verdict?.checks ?? []).map(checkLine),
    links: [
      ...(page ? [{ text: 'Release page', url: page }] : []),
      ...(console ? [{ text: 'Cloud Run console', url: console }] : []),
    ],
  };
}
