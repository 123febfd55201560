import { judgeReplay } from '../domain/shadow/judge-replay.js';
import {
  listOffset,
  parseBatch,
  selectNewest,
  type LoggedRequest,
} from '../domain/shadow/log-lines.js';
import { CutoverError } from '../errors.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { Release, ServiceRecord, Verdict } from '../schemas/release.js';
import type { Deps } from './deps.js';

/** What the shadow replay came to: a verdict, a reason it did not run, or a reason to wait a tick. */
export type ReplayOutcome =
  | {
      kind: 'judged';
      verdict: Verdict;
      bucket: string;
      replayed: number;
      /** Lines of the batches read that were not logged requests (skipped, never fatal). */
      malformed: number;
    }
  | { kind: 'skipped'; reason: string }
  | { kind: 'wait'; reason: string };

/** The requests to replay (read before the smoke probes, so a wait for logs re-probes nothing). */
export type ReplayPlan =
  | { kind: 'ready'; requests: LoggedRequest[]; bucket: string; malformed: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'wait'; reason: string };

/** Batches read at most per replay, newest first (bounds the time a smoke tick can take). */
const MAX_BATCHES = 200;
/** Batches are named by their first record; one may start this long before it ends. */
const BATCH_SPAN_MS = 60_000;

/**
 * The shadow replay of the smoke phase: the newest `shadow.requests` requests the STABLE logged
 * to its color's bucket (never the candidate's), on the configured routes and no older than
 * maxAge, sent to both tag URLs — never the service URL — at the configured rate, and judged
 * in pairs. Skipped, saying why, when the service opts out, its stable's color names no bucket,
 * or the bucket holds no logs yet; while fewer than minSamples are logged it waits (null verdict
 * next tick) until `graceSeconds` have passed since the release started, then skips.
 */
export async function prepareReplay(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  timing: { waitedSeconds: number; graceSeconds: number },
): Promise<ReplayPlan> {
  const shadow = config.shadow;
  if (!shadow.enabled)
    return { kind: 'skipped', reason: 'the service opts out (shadow.enabled is false)' };
  const color = record.stable.color;
  const bucket = config.colors[color].env[shadow.bucketEnv];
  if (!bucket) {
    return {
      kind: 'skipped',
      reason: `the stable's color ${color} names no inference-log bucket (colors.${color}.env.${shadow.bucketEnv})`,
    };
  }
  const notBefore = new Date(deps.clock.now().getTime() - shadow.maxAgeSeconds * 1000);
  let read: { requests: LoggedRequest[]; malformed: number; batches: number };
  try {
    read = await newestLogged(deps, bucket, shadow.prefix, notBefore, shadow.requests);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (
      error instanceof CutoverError &&
      error.retryable &&
      timing.waitedSeconds < timing.graceSeconds
    )
      return { kind: 'wait', reason: `inference logs unreadable for now: ${why}` };
    return { kind: 'skipped', reason: `the inference logs cannot be read: ${why}` };
  }
  if (read.batches === 0) {
    return {
      kind: 'skipped',
      reason: `the service has no inference logs yet: gs://${bucket}/${shadow.prefix}* holds nothing from the last ${shadow.maxAgeSeconds} s`,
    };
  }
  const selected = selectNewest(read.requests, {
    limit: shadow.requests,
    notBefore,
    routes: shadow.routes,
  }).requests;
  if (selected.length < shadow.minSamples) {
    const counted = `${selected.length} replayable requests logged in gs://${bucket}, fewer than shadow.minSamples (${shadow.minSamples})`;
    return timing.waitedSeconds < timing.graceSeconds
      ? { kind: 'wait', reason: counted }
      : { kind: 'skipped', reason: counted };
  }
  return { kind: 'ready', requests: selected, bucket, malformed: read.malformed };
}

/** Sends a ready plan's requests to both tag URLs and judges the pairs. */
export async function runReplay(
  deps: Deps,
  config: ServiceConfig,
  release: Release,
  plan: Extract<ReplayPlan, { kind: 'ready' }>,
  urls: { blue: string; green: string },
): Promise<Extract<ReplayOutcome, { kind: 'judged' }>> {
  const shadow = config.shadow;
  const pairs = await deps.replayer().replay(plan.requests, urls, {
    requestsPerSecond: shadow.requestsPerSecond,
    timeoutMs: shadow.timeoutSeconds * 1000,
    authenticate: config.smoke.authenticate,
    releaseId: release.id,
  });
  const verdict = judgeReplay(pairs, {
    shadow,
    thresholds: config.thresholds,
    now: deps.clock.now(),
  });
  deps.logger.info('shadow replay judged', {
    service: config.service,
    releaseId: release.id,
    bucket: plan.bucket,
    outcome: verdict.outcome,
    replayed: pairs.length,
    malformed: plan.malformed,
    checks: verdict.checks.map((c) => `${c.check} ${c.outcome}: ${c.reason}`),
  });
  return {
    kind: 'judged',
    verdict,
    bucket: plan.bucket,
    replayed: pairs.length,
    malformed: plan.malformed,
  };
}

/** prepareReplay, then runReplay when the plan is ready. */
export async function shadowReplay(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  release: Release,
  urls: { blue: string; green: string },
  timing: { waitedSeconds: number; graceSeconds: number },
): Promise<ReplayOutcome> {
  const plan = await prepareReplay(deps, config, record, timing);
  return plan.kind === 'ready' ? runReplay(deps, config, release, plan, urls) : plan;
}

/**
 * Reads batches newest first until `limit` well-formed requests are in hand (or MAX_BATCHES).
 * Malformed lines are counted and skipped.
 */
async function newestLogged(
  deps: Deps,
  bucket: string,
  prefix: string,
  notBefore: Date,
  limit: number,
): Promise<{ requests: LoggedRequest[]; malformed: number; batches: number }> {
  const store = deps.inferenceLogs();
  const names = await store.list(bucket, prefix, listOffset(prefix, notBefore, BATCH_SPAN_MS));
  const requests: LoggedRequest[] = [];
  let malformed = 0;
  let batches = 0;
  for (const name of names.reverse().slice(0, MAX_BATCHES)) {
    const parsed = parseBatch(await store.read(bucket, name));
    batches += 1;
    malformed += parsed.malformed;
    requests.push(...parsed.requests);
    if (requests.length >= limit) break;
  }
  return { requests, malformed, batches };
}
