import type { Release, ServiceRecord, Slot } from '../schemas/release.js';
import { eventBase, publish } from './release-events.js';
import { markFailed, remember } from './release-endings.js';
import {
  activeRelease,
  ignore,
  type MachineContext,
  type ReleaseInput,
  type Transition,
} from './release-input.js';
import { colorAccount } from './release-start.js';
import { soleSplit } from './traffic.js';

/**
 * Redeploys an earlier image at 100% as a new revision in the stable's color; it becomes the
 * stable. An active release ends rolled back (its image marked failed). Terraform is told.
 */
export function rollbackContainer(
  record: ServiceRecord,
  input: Extract<ReleaseInput, { type: 'rollback-container' }>,
  ctx: MachineContext,
): Transition {
  if (record.stable.image === input.image && !activeRelease(record)) {
    return ignore(record, `${input.image} (${input.tag}) is already the stable image`);
  }
  const service = ctx.config.service;
  const restored: Slot = {
    revision: input.revision,
    image: input.image,
    color: record.stable.color,
  };
  const active = activeRelease(record);
  const at = ctx.now.toISOString();
  const ended: Release | null = active
    ? {
        id: active.id,
        candidate: active.candidate,
        tag: active.tag,
        startedAt: active.startedAt,
        phase: 'rolled-back',
        endedAt: at,
        trigger: 'manual-container',
        reason: input.reason,
        requestedBy: input.requestedBy,
        lastVerdict: active.phase === 'shifting' ? active.lastVerdict : null,
      }
    : null;
  const operation: Release = ended ?? {
    id: input.id,
    candidate: restored,
    tag: input.tag,
    startedAt: at,
    phase: 'rolled-back',
    endedAt: at,
    trigger: 'manual-container',
    reason: input.reason,
    requestedBy: input.requestedBy,
    lastVerdict: null,
  };
  // Going back to the stable before: the one before that becomes the next to go back to.
  const before = record.previousStables ?? [];
  const next: ServiceRecord = {
    ...record,
    stable: restored,
    previousStables: before[0]?.image === input.image ? before.slice(1) : before,
    release: operation,
    failedImages: active ? markFailed(record, active.candidate.image) : record.failedImages,
    history: remember(record, {
      id: operation.id,
      image: input.image,
      phase: 'rolled-back',
      endedAt: at,
      detail: `container rollback to ${input.tag}: ${input.reason}`,
    }),
  };
  return {
    record: next,
    ignored: null,
    summary: `container rollback to ${input.tag} as ${input.revision} (by ${input.requestedBy})`,
    commands: [
      {
        kind: 'update-service',
        traffic: soleSplit(restored),
        deploy: {
          revision: input.revision,
          from: record.stable.revision,
          image: input.image,
          env: ctx.config.colors[restored.color].env,
          color: restored.color,
          ...colorAccount(ctx.config, restored.color),
        },
      },
      publish({
        type: 'release.rolled-back',
        ...eventBase(service, operation, ctx.now),
        trigger: 'manual-container',
        reason: input.reason,
        requestedBy: input.requestedBy,
        stable: restored,
        smoke: null,
        failedChecks: [],
      }),
      publish({
        type: 'terraform.sync-requested',
        service,
        image: input.image,
        revision: input.revision,
        reason: `container rollback to ${input.tag}: ${input.reason}`,
        at,
      }),
    ],
  };
}
