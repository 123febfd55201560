import type { DeploymentEvent } from '../../shared/schemas/events.js';
import { describeEvent, type EventContext } from './describe-event.js';
import { ANSI, PLAIN, formatBar, seconds, type Paint } from './format.js';
import type { DemoResult } from './outcome.js';
import type { Scenario } from './scenarios.js';
import type { TrafficSummary } from './traffic.js';
import { createLogUpdate } from 'log-update';

/** Where the demo writes: a stream, and whether it is a terminal (redraw in place). */
export interface DemoOut {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width; the view fits it (80 when unknown). */
  columns?: number;
}

/** What the live block shows: the split as served, the step, the clock and the request counts. */
export interface LiveState extends EventContext {
  split: Record<string, number>;
  step: string;
  elapsedMs: number;
  traffic: TrafficSummary;
}

/** The demo's output: a live terminal view, plain appended lines, or the event log as JSON. */
export interface DemoView {
  begin(
    scenario: Scenario,
    info: { serviceUrl: string; requestsPerSecond: number; startupMs: number },
  ): void;
  /** Something the demo did (a push, a rollback request). */
  action(text: string, elapsedMs: number): void;
  event(event: DeploymentEvent, state: LiveState): void;
  /** Redraws the live block (a terminal only). */
  live(state: LiveState): void;
  end(result: DemoResult): void;
}

/** `json`: one JSON line per event and a last `demo.outcome` line; else lines for people. */
export function createView(out: DemoOut, options: { json: boolean }): DemoView {
  return options.json ? jsonView(out) : textView(out, out.isTTY === true);
}

function jsonView(out: DemoOut): DemoView {
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  return {
    begin: () => undefined,
    action: () => undefined,
    event: (event) => line(event),
    live: () => undefined,
    end: (result) =>
      line({
        type: 'demo.outcome',
        ok: result.ok,
        durationMs: result.durationMs,
        ...result.outcome,
      }),
  };
}

const stamp = (ms: number) => `+${(ms / 1000).toFixed(1).padStart(5)}s`;

/**
 * Lines for people. On a terminal a two-line live block (the served split as a blue/green bar,
 * the step, the clock, the request counts) stays at the bottom and is redrawn in place; event
 * lines scroll above it. Elsewhere (CI logs, pipes) lines are only appended, and the bar is
 * printed under each step and verdict instead.
 */
function textView(out: DemoOut, tty: boolean): DemoView {
  const paint: Paint = tty ? ANSI : PLAIN;
  const columns = out.columns ?? 80;
  // log-update redraws the live block in place, counting wrapped rows, so no stale line is left.
  const live = tty
    ? createLogUpdate(
        { write: (t: string) => out.write(t), columns, rows: 24 } as unknown as NodeJS.WriteStream,
        { showCursor: true },
      )
    : null;
  const clearLive = () => live?.clear();
  const print = (lines: string[]) => {
    clearLive();
    for (const l of lines) out.write(`${l}\n`);
  };
  // 8 indent + 16 left label + 17 right label + 2 spaces: the bar takes what is left of the width.
  const barWidth = Math.max(10, Math.min(30, columns - 44));
  const bar = (state: LiveState) =>
    `        ${formatBar(state.split, state.colors, paint, barWidth)}`;

  return {
    begin(scenario, info) {
      print([
        paint.bold(`cutover demo · ${scenario.name}: ${scenario.summary}`),
        paint.dim(
          `  local stack up in ${seconds(info.startupMs)} · router ${info.serviceUrl} · ${info.requestsPerSecond} requests/s of steady load`,
        ),
      ]);
    },
    action(text, elapsedMs) {
      print([`${paint.dim(stamp(elapsedMs))}  ${paint.bold('»')} ${text}`]);
    },
    event(event, state) {
      const lines = describeEvent(event, state, paint);
      if (lines.length === 0) return;
      const [first = '', ...rest] = lines;
      const showBar =
        !tty && (event.type === 'release.step-started' || event.type === 'release.verdict');
      print([
        `${paint.dim(stamp(state.elapsedMs))}  ${first}`,
        ...rest.map((l) => `          ${l}`),
        ...(showBar ? [bar(state)] : []),
      ]);
    },
    live(state) {
      if (!live) return;
      const t = state.traffic;
      live(
        [
          bar(state),
          paint.dim(
            `        ${state.step} · ${seconds(state.elapsedMs)} · ${t.sent} requests: ${t.failed} failed, ${t.injected} injected`,
          ),
        ].join('\n'),
      );
    },
    end(result) {
      const o = result.outcome;
      const verdict = result.ok ? paint.ok('✓') : paint.bad('✗');
      const what = o.trigger ? `${o.phase.toUpperCase()} (${o.trigger})` : o.phase.toUpperCase();
      const took = o.releaseMs === null ? '' : ` (${seconds(o.releaseMs)} from the first push)`;
      const lines = [
        '',
        paint.bold(`${verdict} ${what} in ${seconds(result.durationMs)}${took}`),
        ...(o.served ? [`  router serves ${describeServed(o.served)}`] : []),
        ...(o.candidateUserRequests !== null
          ? [`  green served ${o.candidateUserRequests} user requests`]
          : []),
        `  ${o.traffic.sent} requests of steady load: ${describeFailures(o.traffic)}`,
        ...(o.reason && o.phase !== 'rolled-back' ? [`  ${o.reason}`] : []),
        ...o.problems.map((p) => paint.bad(`  ✗ ${p}`)),
      ];
      print(lines);
      live?.done();
    },
  };
}

function describeFailures(t: TrafficSummary): string {
  if (t.failed + t.injected === 0) return 'none failed';
  const injected = t.injected ? `${t.injected} failed by the injected fault` : '';
  const failed = t.failed ? `${t.failed} failed that should not have` : '';
  return [injected, failed].filter(Boolean).join(', ');
}

function describeServed(served: TrafficSummary): string {
  const versions = Object.entries(served.byVersion)
    .map(([v, n]) => `${n}/${served.sent} from ${v}`)
    .join(', ');
  const failures = served.failed + served.injected;
  return `${versions || 'nothing'}${failures ? `, ${failures} failed` : ''}`;
}
