import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { emulatorClientOptions, parseEndpoint } from '../../shared/adapters/gcp/client-options.js';
import { CloudRunPlatform } from '../../shared/adapters/gcp/cloud-run-platform.js';
import type { ServiceView } from '../../shared/ports/service-platform.js';
import { localConfig } from '../../local/local-config.js';
import { StackEndpoints } from '../../local/endpoints.js';
import { REPO_ROOT } from '../../local/stack-options.js';
import type { ConfigInput } from '../../shared/schemas/config.js';

/**
 * The sample config with p95 made irrelevant: these tests check the stack's plumbing (push →
 * provision → shift → promote, restart), not judgement, and must not fail on CPU contention.
 */
export function plumbingConfig(): ConfigInput {
  const base = localConfig();
  return {
    ...base,
    services: base.services.map((s) => ({
      ...s,
      thresholds: {
        ...s.thresholds,
        p95Tolerance: 100,
        p95SlackMs: 10_000,
        // The clearly-bad margin must stay above the tolerance (the config refuses it otherwise).
        clearlyBad: { ...s.thresholds?.clearlyBad, p95Increase: 200 },
      },
    })),
  };
}

/** The Cloud Run adapter on an emulator address, with its clients to close. */
export function platformOn(emulator: string, project: string) {
  const options = emulatorClientOptions(parseEndpoint(emulator), project).gapic;
  const services = new ServicesClient(options);
  const revisions = new RevisionsClient(options);
  return {
    platform: new CloudRunPlatform({ services, revisions }),
    close: () => Promise.all([services.close(), revisions.close()]).then(() => undefined),
  };
}

/** Polls `read` every 500 ms until `done` holds; rejects after `timeoutMs` with the last value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const seen = last === undefined ? String(lastError) : JSON.stringify(last).slice(0, 2000);
  throw new Error(`timed out waiting for ${what}; last seen: ${seen}`);
}

export const phaseOf = (view: ServiceView) => view.record?.release?.phase ?? null;

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** `cutover local` as a child process: its endpoints (first stdout line) and its exit. */
export interface LocalChild {
  child: ChildProcess;
  endpoints: StackEndpoints;
  exited: Promise<number | null>;
}

/** Starts `node bin/cutover.js local` on `stateDir` and resolves with its first stdout line, parsed. */
export async function startLocalChild(stateDir: string, fresh: boolean): Promise<LocalChild> {
  const configFile = join(stateDir, '..', 'plumbing.config.json');
  writeFileSync(configFile, JSON.stringify(plumbingConfig()));
  const args = [
    'bin/cutover.js',
    'local',
    '--state-dir',
    stateDir,
    '--no-alerts',
    '--config',
    configFile,
  ];
  const child = spawn(process.execPath, fresh ? [...args, '--fresh'] : args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void exited.then((code) =>
      reject(new Error(`cutover local exited (${code}) first: ${stderr}`)),
    );
  });
  // Keep reading so the child never blocks on a full pipe.
  lines.on('line', () => undefined);
  return { child, endpoints: StackEndpoints.parse(JSON.parse(first)), exited };
}
