import { featuresFor } from '../load.js';
import { predict, type Answer } from './answers.js';

/** Every request the demo sent, by answer, with the first few failures spelt out. */
export interface TrafficSummary {
  sent: number;
  ok: number;
  /** Failures the candidate's ERROR_RATE asked for. */
  injected: number;
  /** Failures nobody asked for (a traffic change or a revert must cause none). */
  failed: number;
  byVersion: Record<string, number>;
  failures: string[];
}

export function emptySummary(): TrafficSummary {
  return { sent: 0, ok: 0, injected: 0, failed: 0, byVersion: {}, failures: [] };
}

/** Adds one answer to a summary (keeps the first 10 failure details). */
export function count(summary: TrafficSummary, answer: Answer): void {
  summary.sent += 1;
  if (answer.kind === 'ok') {
    summary.ok += 1;
    summary.byVersion[answer.version] = (summary.byVersion[answer.version] ?? 0) + 1;
  } else if (answer.kind === 'injected') summary.injected += 1;
  else {
    summary.failed += 1;
    if (summary.failures.length < 10) summary.failures.push(answer.detail);
  }
}

/**
 * Steady requests at a rate, each one's answer counted (unlike local/load.ts, which fires and
 * forgets): the demo needs to attribute every failure. `stop()` sends no more and waits for the
 * ones in flight, so every request sent is in the summary.
 */
export class SteadyTraffic {
  readonly summary = emptySummary();
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private n = 0;

  constructor(
    private readonly url: string,
    private readonly requestsPerSecond: number,
    private readonly onAnswer: (answer: Answer) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.requestsPerSecond <= 0) return;
    this.timer = setInterval(() => this.beat(), Math.round(1000 / this.requestsPerSecond));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight);
  }

  private beat(): void {
    if (this.inFlight.size >= 20) return;
    const request = predict(this.url, featuresFor(this.n++)).then((answer) => {
      count(this.summary, answer);
      this.onAnswer(answer);
    });
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }
}

/** The answers of the last `windowMs`, as percent per model version: the split as served. */
export class ServedSplit {
  private readonly recent: Array<{ at: number; version: string }> = [];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 2000,
  ) {}

  record(answer: Answer): void {
    if (answer.kind === 'ok') this.recent.push({ at: this.now(), version: answer.version });
  }

  /** Percent of the recent answers per version (rounded; empty when nothing was answered). */
  percents(): Record<string, number> {
    const since = this.now() - this.windowMs;
    while (this.recent.length > 0 && (this.recent[0]?.at ?? 0) < since) this.recent.shift();
    const counts: Record<string, number> = {};
    for (const r of this.recent) counts[r.version] = (counts[r.version] ?? 0) + 1;
    const total = this.recent.length;
    return Object.fromEntries(
      Object.entries(counts).map(([v, c]) => [v, Math.round((c / total) * 100)]),
    );
  }
}

/** Sends `requests` predictions through `url`, `concurrency` at a time, and counts the answers. */
export async function measureServed(
  url: string,
  requests = 100,
  concurrency = 5,
): Promise<TrafficSummary> {
  const summary = emptySummary();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      count(summary, await predict(url, featuresFor(next++)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summary;
}
