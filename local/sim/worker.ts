import { parentPort } from 'node:worker_threads';
import { runJob, type CellJob } from './run-cell.js';

/** A simulation worker: runs each job it is sent and answers with its releases. */
parentPort?.on('message', (job: CellJob) => {
  void runJob(job, () => parentPort?.postMessage({ kind: 'release' })).then((results) =>
    parentPort?.postMessage({ kind: 'done', results }),
  );
});
