import type { Clock } from '../../shared/ports/clock.js';
import type { Observation } from './router.js';

/** What one revision did over one window: the raw material of its DELTA points. */
export interface RevisionBatch {
  /** Full service name `projects/P/locations/L/services/S`. */
  service: string;
  /** Short revision name. */
  revision: string;
  start: Date;
  end: Date;
  requests: Observation[];
  /** Scores parsed from the revision's prediction log lines. */
  predictions: number[];
}

/** Writes one flush's batches (e.g. as Cloud Run series into the Monitoring store). */
export type BatchSink = (batches: RevisionBatch[]) => void | Promise<void>;

interface Pending {
  service: string;
  revision: string;
  since: Date;
  requests: Observation[];
  predictions: number[];
}

/**
 * Buffers per-revision request observations and prediction scores and flushes them every
 * `flushIntervalMs` as batches covering [previous flush, now], the way Cloud Run and a log-based
 * metric report DELTA points. A revision with nothing new is not written (Cloud Run writes no
 * point for an idle revision). When the sink fails, the data stays and goes out with the next flush.
 */
export class Recorder {
  private readonly buffers = new Map<string, Pending>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly started: Date;

  constructor(
    private readonly options: {
      clock: Clock;
      sink: BatchSink;
      flushIntervalMs?: number;
      onError?: (error: unknown) => void;
    },
  ) {
    this.started = options.clock.now();
  }

  request(service: string, revision: string, observation: Observation): void {
    this.buffer(service, revision).requests.push(observation);
  }

  prediction(service: string, revision: string, score: number): void {
    this.buffer(service, revision).predictions.push(score);
  }

  /** Starts flushing on a timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Flushes now; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private buffer(service: string, revision: string): Pending {
    const key = `${service}|${revision}`;
    let b = this.buffers.get(key);
    if (!b) {
      b = { service, revision, since: this.started, requests: [], predictions: [] };
      this.buffers.set(key, b);
    }
    return b;
  }

  private async flushOnce(): Promise<void> {
    const now = this.options.clock.now();
    const taken: Array<{ buffer: Pending; batch: RevisionBatch }> = [];
    for (const b of this.buffers.values()) {
      if (b.requests.length === 0 && b.predictions.length === 0) {
        b.since = now > b.since ? now : b.since;
        continue;
      }
      // A DELTA point needs start < end, also under a clock that has not moved.
      const end = now > b.since ? now : new Date(b.since.getTime() + 1);
      const batch = {
        service: b.service,
        revision: b.revision,
        start: b.since,
        end,
        requests: b.requests,
        predictions: b.predictions,
      };
      taken.push({ buffer: b, batch });
      b.requests = [];
      b.predictions = [];
      b.since = end;
    }
    if (taken.length === 0) return;
    try {
      await this.options.sink(taken.map((t) => t.batch));
    } catch (error) {
      for (const { buffer, batch } of taken) {
        buffer.requests.unshift(...batch.requests);
        buffer.predictions.unshift(...batch.predictions);
        buffer.since = batch.start;
      }
      this.options.onError?.(error);
    }
  }
}
