import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/ports/logger.js';
import type { ConfigInput } from '../shared/schemas/config.js';
import type { AlertThresholds } from './alert-policies.js';
import type { LocalTimings } from './local-config.js';
import type { LocalMetrics } from './prometheus/local-metrics.js';

/** Alert evaluation of a stack: terraform's thresholds (held 0 s by default) plus its cadence. */
export interface StackAlerts extends Partial<AlertThresholds> {
  /** Evaluation period (default 2000 ms). */
  intervalMs?: number;
  /** Look-back window of each evaluation (default 10 s). */
  windowSeconds?: number;
  /** Requests a revision needs in the window before its 5xx ratio counts (default 20). */
  minRequests?: number;
}

export interface StackOptions {
  /** Where the emulator state, endpoints.json and config.json live (default `.cutover` in the cwd). */
  stateDir?: string;
  /** Delete the state dir first: a new service, a new history. */
  fresh?: boolean;
  /** The config (default: the sample service, `localConfig(timings)`). */
  config?: ConfigInput;
  /** Timings of the default config and the scheduler (tickSeconds). */
  timings?: Partial<LocalTimings>;
  /** false: no alert evaluator. Default: on, terraform's default thresholds, held 0 s. */
  alerts?: false | StackAlerts;
  /** Steady user traffic to each service (default 20 requests per second); false for none. */
  load?: false | { requestsPerSecond: number };
  /**
   * Where the functions read step metrics: Cloud Monitoring (default), or `prometheus`: every
   * service measured through the emulator's Managed Service for Prometheus endpoint, over the
   * revisions' `/metrics` that its managed collection scrapes every 250 ms (so the smoke test sees
   * the candidate within a tick or two, before it has probed a 10%-failing v2 ten times).
   */
  metrics?: LocalMetrics;
  /** Emulator gRPC port (default any free port). */
  emulatorPort?: number;
  /** How often the platform writes request and prediction metrics (default 500 ms). */
  flushIntervalMs?: number;
  /** Base of image recipes' `cwd` (default the repository root). */
  rootDir?: string;
  /** Basic auth of the revertOnAlert webhook (default `cutover` and a random password). */
  webhook?: { username: string; password: string };
  /** The stack's own log lines (default JSON lines on stdout). */
  logger?: Logger;
}

/**
 * Where examples/leakage-model lives: the repository root, or dist/ when this runs compiled (the
 * published package).
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_STATE_DIR = '.cutover';
export const DEFAULT_REQUESTS_PER_SECOND = 20;
export const DEFAULT_ALERT_INTERVAL_MS = 2000;
export const DEFAULT_ALERT_WINDOW_SECONDS = 10;
export const DEFAULT_ALERT_MIN_REQUESTS = 20;
