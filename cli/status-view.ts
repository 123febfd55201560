import { versionedUrls } from '../shared/domain/version-tag.js';
import type { ServiceView } from '../shared/ports/service-platform.js';
import type { CheckResult, ServiceRecord, Verdict } from '../shared/schemas/release.js';
import { evidenceLines } from './verdict-evidence.js';

const BAR_WIDTH = 40;

/**
 * The color a serving revision plays: from the record, else from its traffic tag. Before the
 * first release (no record) what serves is the blue Terraform created.
 */
function colorOf(revision: string, tag: string | null, record: ServiceRecord | null): string {
  if (!record) return tag === 'green' ? 'green' : 'blue';
  if (record.stable.revision === revision) return record.stable.color;
  if (record.release?.candidate.revision === revision) return record.release.candidate.color;
  return tag === 'blue' || tag === 'green' ? tag : 'other';
}

/** `blue ████████░░░░ green`: blue's share in full blocks, green's in light shade. */
export function trafficBar(blue: number, green: number): string {
  const b = Math.round((blue / 100) * BAR_WIDTH);
  const g = Math.min(BAR_WIDTH - b, Math.round((green / 100) * BAR_WIDTH));
  return `blue ${'█'.repeat(b)}${'░'.repeat(g)}${'·'.repeat(BAR_WIDTH - b - g)} green`;
}

function number(check: CheckResult['check'], v: number | null): string {
  if (v === null) return 'no data';
  if (check === 'error-rate') return `${(v * 100).toFixed(2)}%`;
  if (check === 'p95-latency') return `${v.toFixed(1)} ms`;
  return v.toFixed(4);
}

/** Which color is judged (the candidate) and which is its baseline (the stable). */
export interface Roles {
  candidate: string;
  stable: string;
}

function checkLine(c: CheckResult, roles: Roles): string {
  const baseline = c.baseline === null ? '' : ` vs ${roles.stable} ${number(c.check, c.baseline)}`;
  const limit = c.limit === null ? '' : `, limit ${number(c.check, c.limit)}`;
  const critical = c.critical ? ' CRITICAL' : '';
  return `  ${c.check.padEnd(17)}${c.outcome.padEnd(13)}${roles.candidate} ${number(c.check, c.observed)}${baseline}${limit}, ${c.samples} samples${critical} — ${c.reason}`;
}

function verdictLines(v: Verdict | null, roles: Roles): string[] {
  if (!v) return ['verdict   none yet'];
  return [
    `verdict   ${v.outcome}${v.critical ? ' (critical)' : ''} at ${v.at}, window ${v.window.start} → ${v.window.end}`,
    ...(v.advice ? [`advice    ${v.advice}`] : []),
    ...v.checks.map((c) => checkLine(c, roles)),
    'evidence',
    ...evidenceLines({ ...v, advice: null }),
    ...servedLine(v),
  ];
}

/** The share each side served beside the split written, when the verdict recorded both. */
function servedLine(v: Verdict): string[] {
  const t = v.traffic;
  if (!t?.served || !t.requests) return [];
  const total = t.requests.stable + t.requests.candidate;
  return [
    `served    stable ${t.served.stable}% / candidate ${t.served.candidate}% of ${total} requests (written ${t.written.stable}% / ${t.written.candidate}%)`,
  ];
}

const by = (who: string | null | undefined) => (who ? ` by ${who}` : '');

/**
 * `cutover status` as text: the split as a bar and per revision, the release's phase and step,
 * the last verdict with each check's numbers against its limit, what holds it (an incident, a
 * person's request not carried out yet, with its fix), and the history.
 * `steps` (from the config) lets the step read "2/3"; without it only the percent shows.
 * `apiBase` (`https://DOMAIN/api`) adds each deployed version's URL (`…/api/v2`).
 */
export function renderStatus(
  view: ServiceView,
  steps: number[] | null,
  apiBase: string | null = null,
): string[] {
  const record = view.record;
  const share = (color: string) =>
    view.traffic
      .filter((t) => colorOf(t.revision, t.tag, record) === color)
      .reduce((sum, t) => sum + t.percent, 0);
  const lines = [
    `service   ${view.name}`,
    `traffic   ${trafficBar(share('blue'), share('green'))}`,
  ];
  for (const t of view.traffic) {
    const color = colorOf(t.revision, t.tag, record);
    const url = t.url ? `  ${t.url}` : '';
    lines.push(
      `          ${color.padEnd(6)}${String(t.percent).padStart(3)}%  ${t.revision}${url}`,
    );
  }
  if (apiBase) {
    for (const v of versionedUrls(view.traffic, apiBase))
      lines.push(`version   ${v.version.padEnd(6)}${v.revision}  ${v.url}`);
  }
  if (!record) {
    lines.push('release   none (cutover has not released this service yet)');
    return lines;
  }
  lines.push(`stable    ${record.stable.color} ${record.stable.revision} ${record.stable.image}`);
  const r = record.release;
  // The judged slot is the candidate in its own color; the baseline is whatever it is not.
  const roles: Roles = r
    ? { candidate: r.candidate.color, stable: r.candidate.color === 'blue' ? 'green' : 'blue' }
    : { candidate: 'green', stable: record.stable.color };
  if (!r) lines.push('release   none');
  else {
    lines.push(
      `release   ${r.id}  tag ${r.tag}  candidate ${r.candidate.color} ${r.candidate.revision}`,
    );
    if (r.phase === 'shifting') {
      const of = steps ? `${r.step.index + 1}/${steps.length} ` : '';
      const flags = [r.paused ? 'paused' : '', r.stalled ? 'stalled' : ''].filter(Boolean);
      lines.push(
        `phase     shifting, step ${of}at ${r.step.percent}% since ${r.step.startedAt}${flags.length ? ` [${flags.join(', ')}]` : ''}`,
      );
      lines.push(...verdictLines(r.lastVerdict, roles));
    } else if (r.phase === 'provisioning' || r.phase === 'smoke-testing') {
      lines.push(`phase     ${r.phase} since ${r.startedAt}`);
    } else {
      const ended = r as { phase: string; endedAt?: string; requestedBy?: string | null };
      const why =
        r.phase === 'rolled-back'
          ? ` (${r.trigger}: ${r.reason})`
          : r.phase === 'aborted' || (r.phase === 'superseded' && r.reason)
            ? ` (${r.reason})`
            : '';
      lines.push(
        `phase     ${ended.phase}${ended.endedAt ? ` at ${ended.endedAt}` : ''}${by(ended.requestedBy)}${why}`,
      );
      if ('lastVerdict' in r) lines.push(...verdictLines(r.lastVerdict, roles));
    }
  }
  for (const h of r && 'holds' in r ? (r.holds ?? []) : [])
    lines.push(`hold      ${h.reason} (since ${h.since})`);
  if (record.held) {
    const { request, requestedBy, attempts, since, error, fix } = record.held;
    lines.push(
      `held      ${request.type} by ${requestedBy} not carried out yet (${attempts} attempts since ${since}): ${error}`,
      `fix       ${fix}`,
    );
  }
  const actions = record.actions ?? [];
  if (actions.length) lines.push('actions');
  for (const a of actions)
    lines.push(`  ${a.at}  ${a.action.padEnd(12)}${a.by}  ${a.releaseId ?? '-'}  ${a.detail}`);
  lines.push(record.history.length ? 'history' : 'history   none');
  for (const h of record.history)
    lines.push(`  ${h.endedAt}  ${h.phase.padEnd(12)}${h.id}  ${h.image}  ${h.detail}${by(h.by)}`);
  return lines;
}
