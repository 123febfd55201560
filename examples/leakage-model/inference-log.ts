/**
 * One prediction as the model logs it for later replay: the request as received (method, route,
 * JSON body = the features), the answer, the model version, the latency and the time. One JSON
 * object per line (JSON Lines) in a batch object.
 */
export interface InferenceRecord {
  time: string;
  method: string;
  route: string;
  features: unknown;
  response: { status: number; body: unknown };
  model_version: string;
  latency_ms: number;
}

/** Where batches go: an object store write that may fail (it is retried on the next flush). */
export interface BatchSink {
  /** Writes `text` under `name`; resolves once stored. A lost answer to a stored write may be retried. */
  write(name: string, text: string): Promise<void>;
}

export interface InferenceLogStats {
  writtenBatches: number;
  writtenRecords: number;
  /** Batch writes that failed (each is retried until it is written or dropped). */
  failedWrites: number;
  pendingBatches: number;
  /** Records given up on because more than maxPendingRecords waited. */
  droppedRecords: number;
}

export interface InferenceLogOptions {
  sink: BatchSink;
  /** Object name prefix; names are `<prefix><first record's time>-<instance>-<seq>.jsonl`, so they sort by time. */
  prefix?: string;
  /** Distinguishes this process's batches from other instances' in the same second. */
  instance: string;
  maxBatchRecords?: number;
  /** Past this many records waiting (unwritten), the oldest batches are dropped and counted. */
  maxPendingRecords?: number;
  /** Told about each failed write (with the running count) and each drop. */
  onProblem?: (message: string, fields: Record<string, unknown>) => void;
}

interface Batch {
  name: string;
  records: InferenceRecord[];
}

/**
 * Buffers predictions and writes them in batches. `record` is synchronous and never throws, so
 * logging never slows or fails a prediction; `flush` (called on a timer by the server) writes every
 * waiting batch, oldest first, and keeps a failed one — under the same name — for the next flush.
 */
export class InferenceLog {
  private current: InferenceRecord[] = [];
  private readonly pending: Batch[] = [];
  private seq = 0;
  private flushing: Promise<void> | null = null;
  private readonly counts: Omit<InferenceLogStats, 'pendingBatches'> = {
    writtenBatches: 0,
    writtenRecords: 0,
    failedWrites: 0,
    droppedRecords: 0,
  };

  constructor(private readonly options: InferenceLogOptions) {}

  record(entry: InferenceRecord): void {
    this.current.push(entry);
    if (this.current.length >= (this.options.maxBatchRecords ?? 500)) this.seal();
  }

  stats(): InferenceLogStats {
    return { ...this.counts, pendingBatches: this.pending.length + (this.current.length ? 1 : 0) };
  }

  /** Writes every waiting batch; concurrent calls share one run. Never rejects. */
  flush(): Promise<void> {
    this.seal();
    this.flushing ??= this.writeAll().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private seal(): void {
    const first = this.current[0];
    if (!first) return;
    const seq = String(this.seq++).padStart(6, '0');
    const name = `${this.options.prefix ?? 'inference/'}${first.time}-${this.options.instance}-${seq}.jsonl`;
    this.pending.push({ name, records: this.current });
    this.current = [];
    this.dropOverflow();
  }

  private dropOverflow(): void {
    const limit = this.options.maxPendingRecords ?? 10_000;
    let waiting = this.pending.reduce((n, b) => n + b.records.length, 0);
    while (waiting > limit && this.pending.length > 1) {
      const dropped = this.pending.shift()!;
      waiting -= dropped.records.length;
      this.counts.droppedRecords += dropped.records.length;
      this.options.onProblem?.('inference log batch dropped: too many unwritten records', {
        batch: dropped.name,
        records: dropped.records.length,
        dropped_records: this.counts.droppedRecords,
      });
    }
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending[0]!;
      const text = batch.records.map((r) => JSON.stringify(r)).join('\n') + '\n';
      try {
        await this.options.sink.write(batch.name, text);
      } catch (error) {
        this.counts.failedWrites += 1;
        this.options.onProblem?.('inference log batch not written; retried on the next flush', {
          batch: batch.name,
          records: batch.records.length,
          failed_writes: this.counts.failedWrites,
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      this.pending.shift();
      this.counts.writtenBatches += 1;
      this.counts.writtenRecords += batch.records.length;
    }
  }
}
