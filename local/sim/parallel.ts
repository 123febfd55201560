import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { chunksOf, type CellJob } from './run-cell.js';
import type { ReleaseResult } from './run-release.js';

/**
 * Runs jobs on worker threads (one per core), each job split into chunks (chunksOf) so the
 * cores stay busy; `onRelease` fires once per finished release. Results come back in job order.
 */
export async function runParallel(
  jobs: CellJob[],
  onRelease: () => void,
  threads = availableParallelism(),
): Promise<ReleaseResult[][]> {
  const tasks = jobs.flatMap((job, j) => chunksOf(job).map((chunk, c) => ({ j, c, job: chunk })));
  const results = jobs.map(() => [] as ReleaseResult[][]);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./worker${ext}`, import.meta.url);
  let next = 0;
  const work = async () => {
    // From TypeScript sources (tsx), the worker registers tsx's loader before importing its entry.
    const worker =
      ext === '.ts'
        ? new Worker(
            `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`,
            { eval: true },
          )
        : new Worker(entry);
    try {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        results[task.j]![task.c] = await new Promise<ReleaseResult[]>((resolve, reject) => {
          const onMessage = (
            m: { kind: 'release' } | { kind: 'done'; results: ReleaseResult[] },
          ) => {
            if (m.kind === 'release') return onRelease();
            worker.off('message', onMessage);
            worker.off('error', reject);
            resolve(m.results);
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
          worker.postMessage(task.job);
        });
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, tasks.length)) }, work));
  return results.map((chunks) => chunks.flat());
}
