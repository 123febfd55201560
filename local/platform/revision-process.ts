import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Upstream } from './proxy.js';

/**
 * How to start an image locally: stored as the image's recipe in the emulated registry. `cwd` is
 * relative to the platform's root directory. The revision's own env is merged on top of `env`.
 */
export const Recipe = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
});
export type Recipe = z.infer<typeof Recipe>;

export interface RevisionStart {
  /** Full revision name, for messages. */
  revision: string;
  recipe: Recipe;
  /** The container env of the revision (template env and the color's env): wins over the recipe's. */
  env: Record<string, string>;
  rootDir: string;
  /** How long `/healthz` may take to answer 200 before the revision counts as failed. */
  startupTimeoutMs?: number;
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** Aborting stops a revision that is still starting (it then counts as not ready). */
  signal?: AbortSignal;
}

export interface RevisionProcess {
  readonly pid: number;
  readonly upstream: Upstream;
  /** True once the process has exited (by itself or stopped). */
  exited(): boolean;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export type StartResult =
  { ready: true; process: RevisionProcess } | { ready: false; message: string };

/** Environment a local process needs to run at all; nothing else of the host leaks in. */
const HOST_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot'];
const STDERR_LINES = 20;

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(
      { host: '127.0.0.1', port, path: '/healthz', timeout: 1000, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid ?? 0), signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Starts a revision the way Cloud Run starts a container: PORT (and K_SERVICE, K_REVISION) in its
 * env, ready once `GET /healthz` answers 200. The process leads its own process group (so stop
 * reaches anything it spawned) and gets CUTOVER_PARENT_PID so it can exit when this process dies.
 * Not ready — with the last stderr lines — when it exits first or the startup timeout passes.
 */
export async function startRevision(start: RevisionStart): Promise<StartResult> {
  const port = await freePort();
  // projects/P/locations/L/services/S/revisions/R
  const [, , , , , service = '', , short = start.revision] = start.revision.split('/');
  const hostEnv = Object.fromEntries(
    HOST_ENV.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  const env = {
    ...hostEnv,
    ...start.recipe.env,
    ...start.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    K_SERVICE: service,
    K_REVISION: short,
    K_CONFIGURATION: service,
    CUTOVER_PARENT_PID: String(process.pid),
  };
  const child = spawn(start.recipe.command, start.recipe.args, {
    cwd: resolvePath(start.rootDir, start.recipe.cwd ?? '.'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stderrTail: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => start.onStdout?.(l));
  createInterface({ input: child.stderr! }).on('line', (l) => {
    stderrTail.push(l);
    if (stderrTail.length > STDERR_LINES) stderrTail.shift();
    start.onStderr?.(l);
  });
  let exitInfo: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exitInfo = `spawn error: ${error.message}`;
      resolve();
    });
  });

  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const proc: RevisionProcess = {
    pid: child.pid ?? -1,
    upstream: { host: '127.0.0.1', port },
    exited: () => exitInfo !== null,
    async stop(graceMs = 3000) {
      if (exitInfo !== null) return;
      signalGroup(child, 'SIGTERM');
      const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };

  const deadline = performance.now() + (start.startupTimeoutMs ?? 30_000);
  const aborted = () => start.signal?.aborted === true;
  while (exitInfo === null && !aborted() && performance.now() < deadline) {
    if (await healthy(port)) return { ready: true, process: proc };
    await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
  }
  const why =
    exitInfo !== null
      ? `exited with ${exitInfo} before it became ready`
      : aborted()
        ? 'was stopped while starting'
        : 'did not answer /healthz in time';
  await proc.stop(500);
  // The last stderr lines may still be in the pipe when 'exit' fires.
  await Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
  const tail = stderrTail.length ? `; stderr: ${stderrTail.join(' | ')}` : '';
  return { ready: false, message: `revision ${start.revision} ${why}${tail}` };
}
