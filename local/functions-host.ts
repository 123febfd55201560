import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FUNCTION_NAMES } from './endpoints.js';
import type { FunctionName } from './endpoints.js';

/** The four functions, each served by the functions-framework on its own loopback port. */
export interface FunctionsHost {
  urls: Record<FunctionName, string>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Imports functions/index.ts (which registers the functions) and serves each one as Cloud Run
 * functions would: `getTestServer(name)` is the framework's own server for a registered function
 * (CloudEvent decoding for the event functions, Express for the HTTP one). The functions read
 * their config and endpoints from `process.env` on first use, so the caller sets
 * `CUTOVER_CONFIG` and `CUTOVER_EMULATOR_HOST` first; the cached runtime is dropped here so a
 * second stack in the same process builds its own.
 */
export async function hostFunctions(): Promise<FunctionsHost> {
  const { setRuntime } = await import('../functions/runtime.js');
  await import('../functions/index.js');
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  setRuntime(null);
  const servers: Server[] = [];
  const urls = {} as Record<FunctionName, string>;
  try {
    for (const name of FUNCTION_NAMES) {
      const server = getTestServer(name);
      servers.push(server);
      urls[name] = `http://127.0.0.1:${await listen(server)}/`;
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    throw new Error(`could not serve the functions: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    urls,
    close: async () => {
      await Promise.all(servers.map(close));
      setRuntime(null);
    },
  };
}
