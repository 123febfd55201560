import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const FUNCTION_NAMES = [
  'provisionGreen',
  'advanceRelease',
  'revertOnAlert',
  'rollback',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Every endpoint of a running local stack: the first stdout line of `cutover local`, and
 * `<stateDir>/endpoints.json`. Tools read it instead of guessing ports.
 */
export const StackEndpoints = z.object({
  /** The emulator's gRPC address `127.0.0.1:PORT` (CUTOVER_EMULATOR_HOST). */
  emulator: z.string(),
  /** The project the topics and the sample service live in. */
  project: z.string(),
  /**
   * Per full service name: the router's main URL, one URL per traffic tag (blue, green), and the
   * versioned API's base (`ROUTER/api`): `${api}/v2/predict` reaches the revision of v2,
   * `${api}/predict` follows the split.
   */
  services: z.record(
    z.string(),
    z.object({
      url: z.string(),
      tags: z.record(z.string(), z.string()),
      api: z.string().optional(),
    }),
  ),
  /** Each function's loopback URL, under its name. */
  functions: z.object({
    provisionGreen: z.string(),
    advanceRelease: z.string(),
    revertOnAlert: z.string(),
    rollback: z.string(),
  }),
  /** Full topic names: gcr, deployment events, rollback requests, alert incidents, dead letter. */
  topics: z.object({
    gcr: z.string(),
    deploymentEvents: z.string(),
    rollbackRequests: z.string(),
    alertIncidents: z.string(),
    deadLetter: z.string(),
  }),
  /** The local registry's push endpoint (`POST /push {tag, knobs}`), see push-server.ts. */
  registry: z.string(),
  stateDir: z.string(),
  /** The release page (`cutover ui`, served by the stack). */
  ui: z.string().optional(),
  /** The stack's own process. */
  pid: z.number().int(),
});
export type StackEndpoints = z.infer<typeof StackEndpoints>;

export const ENDPOINTS_FILE = 'endpoints.json';
/** The stack's config (JSON), beside the endpoints, for operator commands given a bare service id. */
export const CONFIG_FILE = 'config.json';

/** Writes `<stateDir>/endpoints.json` atomically. */
export function writeEndpoints(endpoints: StackEndpoints): void {
  mkdirSync(endpoints.stateDir, { recursive: true });
  const path = join(endpoints.stateDir, ENDPOINTS_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(temporary, path);
}

/** The stack is not running there (no endpoints file), or the file is not one. */
export class NoLocalStackError extends Error {
  constructor(
    readonly stateDir: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`no local stack in ${stateDir}: ${detail} (start one with \`cutover local\`)`, options);
    this.name = 'NoLocalStackError';
  }
}

/** Reads `<stateDir>/endpoints.json`; throws NoLocalStackError naming the directory. */
export function readEndpoints(stateDir: string): StackEndpoints {
  const path = join(stateDir, ENDPOINTS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new NoLocalStackError(stateDir, `cannot read ${path}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new NoLocalStackError(stateDir, `${path} is not JSON`, { cause });
  }
  const parsed = StackEndpoints.safeParse(json);
  if (!parsed.success)
    throw new NoLocalStackError(stateDir, `${path} is not an endpoints file`, {
      cause: parsed.error,
    });
  return parsed.data;
}
