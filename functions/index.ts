/**
 * The four Cloud Functions, registered with the functions-framework. Deploy each one with
 * `--entry-point` set to its name; package.json `main` points at the compiled copy of this file.
 * Clients are built lazily per process, only for what a function uses.
 */
import * as functions from '@google-cloud/functions-framework';
import { advanceRelease } from './advance-release.js';
import { answerMalformedRequestsAsJson } from './malformed-requests.js';
import { provisionGreen } from './provision-green.js';
import { revertOnAlert } from './revert-on-alert.js';
import { rollback } from './rollback.js';
import { bootLogger, runtime } from './runtime.js';

answerMalformedRequestsAsJson(() => {
  try {
    return runtime().logger;
  } catch {
    return bootLogger; // a bad config is reported by the function itself
  }
});

functions.cloudEvent('provisionGreen', provisionGreen);
functions.cloudEvent('advanceRelease', advanceRelease);
functions.http('revertOnAlert', revertOnAlert);
functions.cloudEvent('rollback', rollback);

export { advanceRelease, provisionGreen, revertOnAlert, rollback };
