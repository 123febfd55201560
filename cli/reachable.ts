import { connect } from 'node:net';
import type { EmulatorEndpoint } from '../shared/adapters/gcp/client-options.js';
import { NoLocalStackError, type StackEndpoints } from '../local/endpoints.js';
import { TargetError } from './target-error.js';

const CONNECT_TIMEOUT_MS = 3000;

/** The stack that wrote endpoints.json is still alive (its pid answers signal 0). */
export function assertStackRunning(endpoints: StackEndpoints): void {
  try {
    process.kill(endpoints.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return; // alive, not ours
    throw new NoLocalStackError(
      endpoints.stateDir,
      `the stack that wrote its endpoints (pid ${endpoints.pid}) is not running`,
      { cause: error },
    );
  }
}

/**
 * One TCP connect to the emulator, given up after 3 s: a refused or silent port is reported at
 * once, where the gRPC clients would retry UNAVAILABLE for over a minute.
 */
export function assertReachable(endpoint: EmulatorEndpoint, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const fail = (detail: string, cause?: unknown) => {
      socket.destroy();
      reject(
        new TargetError(
          `cannot reach ${what} at ${endpoint.host}:${endpoint.port} (${detail}); is it running? start it with \`cutover local\``,
          { cause },
        ),
      );
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      fail(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code ?? error.message, error),
    );
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
