import type { Upstream } from './proxy.js';
import type { Launch } from './revision-launch.js';
import { startRevision, type StartResult } from './revision-process.js';

export interface RevisionPoolOptions {
  rootDir: string;
  startupTimeoutMs?: number;
  /** How to start a revision (full names); a failed launch makes the revision not ready. */
  launch: (service: string, revision: string) => Launch;
  onLine: (service: string, revision: string, stream: 'stdout' | 'stderr', line: string) => void;
}

/**
 * The running revision processes, one per revision (full name). A revision starts when the emulator
 * creates it, or on first need (a restarted platform, a revision brought back into traffic); one that
 * crashed after it was ready starts again on the next request, as Cloud Run replaces an instance.
 * A revision that failed to start stays failed. A revision that serves nothing and has no tag is
 * stopped (`retire`).
 */
export class RevisionPool {
  private readonly entries = new Map<string, Promise<StartResult>>();
  /** The latest settled start of each revision. */
  private readonly done = new Map<string, StartResult>();
  /** Revisions whose start is in flight: never retired mid-start. */
  private readonly starting = new Set<string>();
  /** Stops of retired revisions still in flight: `stopAll` waits for them too. */
  private readonly stopping = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: RevisionPoolOptions) {}

  /** Starts the revision (or reuses its running process) and reports whether it became ready. */
  async start(
    service: string,
    revision: string,
  ): Promise<{ ready: true } | { ready: false; message: string }> {
    const result = await this.ensure(service, revision);
    return result.ready ? { ready: true } : { ready: false, message: result.message };
  }

  /** Where the revision listens once ready; null when it cannot serve (failed, or the pool stopped). */
  async upstream(service: string, revision: string): Promise<Upstream | null> {
    const result = await this.ensure(service, revision);
    return result.ready ? result.process.upstream : null;
  }

  running(): Array<{ revision: string; pid: number }> {
    return [...this.done.entries()].flatMap(([revision, r]) =>
      r.ready && !r.process.exited() ? [{ revision, pid: r.process.pid }] : [],
    );
  }

  /**
   * Stops the running processes of `service`'s revisions (full names) that are not in `keep`,
   * as Cloud Run scales a revision that serves nothing to zero. One brought back into traffic
   * starts again on first need. Resolves when they exited.
   */
  async retire(service: string, keep: ReadonlySet<string>): Promise<void> {
    const prefix = `${service}/revisions/`;
    const stops: Array<Promise<void>> = [];
    for (const [revision, result] of this.done) {
      if (!revision.startsWith(prefix) || keep.has(revision) || this.starting.has(revision))
        continue;
      this.done.delete(revision);
      this.entries.delete(revision);
      if (!result.ready) continue;
      const stop = result.process.stop().finally(() => this.stopping.delete(stop));
      this.stopping.add(stop);
      stops.push(stop);
    }
    await Promise.all(stops);
  }

  /** Where each running revision listens (full name). */
  listening(): Array<{ revision: string; upstream: Upstream }> {
    return [...this.done.entries()].flatMap(([revision, r]) =>
      r.ready && !r.process.exited() ? [{ revision, upstream: r.process.upstream }] : [],
    );
  }

  /** Stops starting new processes, aborts starts in flight and stops every process; resolves when all exited. */
  async stopAll(): Promise<void> {
    this.abort.abort();
    const results = await Promise.all(this.entries.values());
    await Promise.all([
      ...results.map((r) => (r.ready ? r.process.stop() : undefined)),
      ...this.stopping,
    ]);
  }

  private async ensure(service: string, revision: string): Promise<StartResult> {
    if (this.abort.signal.aborted)
      return { ready: false, message: 'the local platform is stopping' };
    const known = this.entries.get(revision);
    if (known) {
      const result = await known;
      if (!result.ready || !result.process.exited() || this.abort.signal.aborted) return result;
      if (this.entries.get(revision) !== known) return this.ensure(service, revision);
    }
    const started = this.launch(service, revision);
    this.entries.set(revision, started);
    this.starting.add(revision);
    const result = await started.finally(() => this.starting.delete(revision));
    if (this.entries.get(revision) === started) this.done.set(revision, result);
    return result;
  }

  private launch(service: string, revision: string): Promise<StartResult> {
    const launch = this.options.launch(service, revision);
    if (!launch.ok)
      return Promise.resolve({ ready: false, message: `revision ${revision}: ${launch.message}` });
    const failed = (error: unknown): StartResult => ({
      ready: false,
      message: `revision ${revision} could not be started: ${error instanceof Error ? error.message : String(error)}`,
    });
    return startRevision({
      revision,
      recipe: launch.recipe,
      env: launch.env,
      rootDir: this.options.rootDir,
      signal: this.abort.signal,
      onStdout: (line) => this.options.onLine(service, revision, 'stdout', line),
      onStderr: (line) => this.options.onLine(service, revision, 'stderr', line),
      ...(this.options.startupTimeoutMs ? { startupTimeoutMs: this.options.startupTimeoutMs } : {}),
    }).catch(failed);
  }
}
