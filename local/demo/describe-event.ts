import type { DeploymentEvent } from '../../shared/schemas/events.js';
import type { Verdict } from '../../shared/schemas/release.js';
import { formatCheck, type Paint } from './format.js';

/** What a line about an event needs besides the event: the steps and each version's color. */
export interface EventContext {
  steps: number[];
  /** model version → the color its revision holds */
  colors: Record<string, 'blue' | 'green'>;
}

const short = (revision: string) => revision.split('/').pop() ?? revision;

function verdictLines(verdict: Verdict | null, paint: Paint): string[] {
  return verdict ? verdict.checks.map((c) => formatCheck(c, paint)) : [];
}

/** An event as lines: a headline, then one line per check of its verdict. Empty: not shown. */
export function describeEvent(event: DeploymentEvent, ctx: EventContext, paint: Paint): string[] {
  switch (event.type) {
    case 'release.provisioned':
      return [
        `provisioned ${short(event.candidate.revision)} (${event.candidate.color}) at 0%, beside ${short(event.stable.revision)} (${event.stable.color})`,
      ];
    case 'release.smoke-passed':
      return [
        `${paint.ok('smoke test passed')}: ${event.smoke.checks.length} checks on the candidate's tag URL`,
      ];
    case 'release.step-started': {
      const of = `${event.step === null ? '?' : event.step + 1}/${ctx.steps.length}`;
      const passed = event.verdict ? [paint.dim('the step before passed:')] : [];
      return [
        paint.bold(`step ${of}: ${event.percent}% to the candidate`),
        ...passed,
        ...verdictLines(event.verdict, paint),
      ];
    }
    case 'release.verdict': {
      const outcome = event.verdict?.outcome ?? 'none';
      const tone = outcome === 'pass' ? paint.ok : outcome === 'fail' ? paint.bad : paint.unsure;
      return [
        `verdict at ${event.percent}%: ${tone(outcome)} → ${event.decision}`,
        ...verdictLines(event.verdict, paint),
      ];
    }
    case 'release.promoted':
      return [
        paint.ok(paint.bold(`promoted ${short(event.stable.revision)} (${event.stable.color})`)) +
          (event.rollbackTag ? `; the previous image is tagged ${event.rollbackTag}` : ''),
        ...verdictLines(event.verdict, paint),
      ];
    case 'release.rolled-back': {
      const failed = event.failedChecks.map((c) => formatCheck(c, paint));
      const smoke = (event.smoke?.checks ?? [])
        .filter((c) => !c.passed)
        .map((c) => `${paint.bad('✗')} ${c.name}: ${c.detail}`);
      return [
        paint.bad(paint.bold(`rolled back (${event.trigger})`)) +
          ` to ${short(event.stable.revision)}: ${event.reason}`,
        ...smoke,
        ...failed,
      ];
    }
    case 'release.superseded':
      return [paint.unsure(event.reason ?? `superseded by ${event.supersededBy}`)];
    case 'release.rejected':
      return [paint.bad(`rejected ${event.image}: ${event.reason}`)];
    case 'release.failed':
      return [paint.bad(`failed: ${event.error}`)];
    case 'release.aborted':
      return [paint.bad(`aborted: ${event.reason}`)];
    case 'release.held':
      return [
        paint.bad(
          `held: ${event.request} by ${event.requestedBy} failed: ${event.error}; ${event.fix}`,
        ),
      ];
    case 'release.promotion-held':
      return [paint.unsure(`held: ${event.reason}`)];
    case 'release.promotion-hold-released':
      return [`hold released: ${event.reason}`];
    case 'release.paused':
    case 'release.resumed':
      return [`${event.type.slice('release.'.length)} by ${event.requestedBy ?? 'someone'}`];
    case 'terraform.sync-requested':
      return [paint.dim(`terraform sync requested: ${event.image} (${event.reason})`)];
    case 'release.tick':
    case 'operator.promote':
    case 'operator.pause':
    case 'operator.resume':
    case 'operator.retry':
      return [];
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}
