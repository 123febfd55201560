import { parseRollbackRequest } from '../shared/schemas/inbound/rollback-request.js';
import { retryTarget } from '../shared/domain/release-retry.js';
import { DeploymentEvent } from '../shared/schemas/events.js';
import type { ServiceRecord } from '../shared/schemas/release.js';
import { awaitChange, awaitContainerRollback } from './await-outcome.js';
import { gcloudDefaults, type GcloudDefaults } from './gcloud-defaults.js';
import { nothingToDo, type ManualInput } from './nothing-to-do.js';
import { processIo, wantsJson, type Io } from './output.js';
import { parseDuration, systemPacer, type Pacer } from './pacer.js';
import { reportFailure } from './report.js';
import { openTarget, requester, TargetError, type Target, type TargetOptions } from './target.js';

/** The manual actions the CLI (and the release page) can take. */
export type ActionName =
  'promote' | 'pause' | 'resume' | 'rollback' | 'rollback-container' | 'undo' | 'retry';

/** The actions advanceRelease carries out (published to the deployment-events topic). */
const OPERATOR_EVENTS = new Set<ActionName>(['promote', 'pause', 'resume', 'retry']);

export interface ActOptions extends TargetOptions {
  by?: string;
  reason?: string;
  /** false with `--no-wait`: publish and return. */
  wait?: boolean;
  timeout?: string;
  /** `cutover retry --image`: the digest to release again (default: the newest failed one). */
  image?: string;
}

/** What a command needs from outside; tests pass fakes. */
export interface CliEnv {
  io: Io;
  pacer: Pacer;
  open(ref: string | undefined, options: TargetOptions): Promise<Target>;
  defaults: GcloudDefaults;
}

export function processEnv(): CliEnv {
  const defaults = gcloudDefaults();
  return {
    io: processIo,
    pacer: systemPacer,
    open: (ref, options) => openTarget(ref, options, defaults),
    defaults,
  };
}

export const DEFAULT_ACTION_TIMEOUT = '2m';

function inputOf(action: ActionName, by: string, reason: string): ManualInput | null {
  switch (action) {
    case 'promote':
    case 'pause':
    case 'resume':
      return { type: action, requestedBy: by };
    case 'rollback':
      return { type: 'rollback-traffic', requestedBy: by, reason };
    case 'undo':
      return { type: 'undo', requestedBy: by, reason };
    case 'rollback-container':
      return null; // the domain needs the registry's rollback tag: the function decides
    case 'retry':
      return null; // refused up front by retryTarget; the function finds the tag
    default: {
      const unreachable: never = action;
      throw new Error(`unhandled action ${String(unreachable)}`);
    }
  }
}

/** The action landed when the record's newest action is this one, by this actor. */
function landed(
  action: ActionName,
  by: string,
  before: ServiceRecord | null,
  after: ServiceRecord | null,
) {
  const newest = after?.actions?.[0];
  if (newest && newest.at !== before?.actions?.[0]?.at)
    return newest.action === action && newest.by === by ? newest.detail : null;
  // A function that does not record actions yet: judge by the phase.
  const r = after?.release;
  switch (action) {
    case 'pause':
    case 'resume':
      return r?.phase === 'shifting' && r.paused === (action === 'pause')
        ? `${action}d ${r.id}`
        : null;
    case 'promote':
      return r?.phase === 'promoted' ? `promoted ${r.id}` : null;
    case 'rollback':
    case 'undo':
    case 'rollback-container':
      return r?.phase === 'rolled-back' ? `rolled back ${r.id}: ${r.reason}` : null;
    case 'retry':
      return r && r.id !== before?.release?.id ? `retrying ${r.candidate.image} as ${r.id}` : null;
    default: {
      const unreachable: never = action;
      throw new Error(`unhandled action ${String(unreachable)}`);
    }
  }
}

function stateOf(record: ServiceRecord | null): string {
  const r = record?.release;
  if (!r) return 'no release';
  return `release ${r.id} is ${r.phase}${'paused' in r && r.paused ? ' (paused)' : ''}`;
}

async function publish(
  target: Target,
  action: ActionName,
  by: string,
  options: { reason: string; image?: string | undefined },
  now: Date,
) {
  const bus = target.adapters.bus();
  if (OPERATOR_EVENTS.has(action)) {
    const topic = target.topics.deploymentEvents;
    const event = DeploymentEvent.parse({
      type: `operator.${action}`,
      service: target.service,
      requestedBy: by,
      at: now.toISOString(),
      ...(options.image === undefined ? {} : { image: options.image }),
    });
    return bus.publish(topic, event, { type: event.type });
  }
  const mode = action === 'rollback' ? 'traffic' : action === 'undo' ? 'undo' : 'container';
  const request = parseRollbackRequest({
    service: target.service,
    mode,
    reason: options.reason,
    requestedBy: by,
  });
  return bus.publish(target.topics.rollbackRequests, request);
}

/**
 * Runs one manual action: reads the record, refuses at once (exit 1, saying why) when the action
 * would change nothing, else publishes it and waits for the record to show the outcome. Exit 0
 * when it landed, 1 when the release changed otherwise or nothing could be done, 2 when nothing
 * changed before the timeout.
 */
export async function act(
  action: ActionName,
  ref: string | undefined,
  options: ActOptions,
  env: CliEnv = processEnv(),
): Promise<number> {
  const json = wantsJson(options);
  return reportFailure(
    async () => {
      const timeoutMs = parseDuration(options.timeout ?? DEFAULT_ACTION_TIMEOUT);
      const target = await env.open(ref, options);
      const platform = target.adapters.platform();
      const before = (await platform.get(target.service)).record;
      const by = requester(options.by, env.defaults);
      const reason = options.reason ?? `${action} requested with the cutover CLI`;
      const say = (ok: boolean, message: string, extra: object = {}) => {
        const body = { ok, action, service: target.service, by, message, ...extra };
        if (json) env.io.out(`${JSON.stringify(body)}\n`);
        else (ok ? env.io.out : env.io.err)(`${ok ? '' : 'cutover: '}${message}\n`);
      };
      const input = inputOf(action, by, reason);
      const why =
        action === 'retry'
          ? retryRefusal(before, target, options.image)
          : input
            ? nothingToDo(input, before, target.config, target.service, env.pacer.now())
            : null;
      if (why) {
        say(false, `nothing changed: ${why}`, { outcome: 'nothing-to-do' });
        return 1;
      }
      if (action === 'undo') await assertUndoable(target, before);
      const messageId = await publish(
        target,
        action,
        by,
        { reason, image: options.image },
        env.pacer.now(),
      );
      if (options.wait === false) {
        say(true, `asked (${action}, message ${messageId}); not waiting for the outcome`, {
          messageId,
          outcome: 'published',
        });
        return 0;
      }
      const waitStart = env.pacer.now().getTime();
      const seen = await awaitChange(
        async () => (await platform.get(target.service)).record,
        before,
        env.pacer,
        { timeoutMs },
      );
      const secs = `${(seen.afterMs / 1000).toFixed(0)} s`;
      if (seen.kind === 'timeout') {
        say(
          false,
          `asked (message ${messageId}), but the record did not change within ${secs}: is the ${OPERATOR_EVENTS.has(action) ? 'advanceRelease' : 'rollback'} function running? See \`cutover status\` and its logs`,
          { messageId, outcome: 'timeout' },
        );
        return 2;
      }
      const detail = landed(action, by, before, seen.record);
      if (detail && action === 'rollback-container' && seen.record) {
        // Landed in the record: done only once its revision serves (it may not start).
        const outcome = await awaitContainerRollback(
          () => platform.get(target.service),
          env.pacer,
          {
            timeoutMs,
            startMs: waitStart,
          },
        );
        if (outcome.kind === 'failed') {
          say(false, `the container rollback did not take: ${outcome.reason}`, {
            messageId,
            outcome: 'failed',
          });
          return 1;
        }
        if (outcome.kind === 'timeout') {
          say(
            false,
            `asked (message ${messageId}); the rollback's revision is deployed but not serving yet: see \`cutover status\``,
            { messageId, outcome: 'timeout' },
          );
          return 2;
        }
      }
      if (detail) {
        const at = seen.record?.actions?.[0]?.at;
        say(true, `${detail}${at ? ` at ${at}` : ''}`, {
          messageId,
          outcome: 'done',
          releaseId: seen.record?.release?.id ?? null,
          phase: seen.record?.release?.phase ?? null,
        });
        return 0;
      }
      say(false, `the release changed, but not by this request: ${stateOf(seen.record)}`, {
        messageId,
        outcome: 'other-change',
      });
      return 1;
    },
    { json, io: env.io },
  );
}

/** Why a retry would change nothing (a release is active, nothing failed), or null. */
function retryRefusal(
  record: ServiceRecord | null,
  target: Target,
  image: string | undefined,
): string | null {
  if (
    image !== undefined &&
    !DeploymentEvent.safeParse({ type: 'operator.retry', service: target.service, image }).success
  )
    throw new TargetError(`--image ${image}: must be sha256: and 64 hex digits, or IMAGE@sha256:…`);
  const found = retryTarget(record, image);
  return found.kind === 'refused' ? found.reason : null;
}

/** Undo needs the previous stable still deployed; say so before asking for it. */
async function assertUndoable(target: Target, record: ServiceRecord | null): Promise<void> {
  const last = record?.release;
  const previous = last?.phase === 'promoted' ? last.previousStable : null;
  if (!previous) return;
  const revision = await target.adapters.platform().revision(target.service, previous.revision);
  if (!revision)
    throw new TargetError(
      `cannot undo: ${previous.revision} is no longer deployed; \`cutover rollback --container\` redeploys the previous image`,
    );
}
