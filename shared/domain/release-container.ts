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

/** The events a container rollback owes only once its revision serves. */
const ON_SUCCESS = new Set(['release.rolled-back', 'terraform.sync-requested']);

/**
 * Redeploys an earlier image at 100% as a new revision in the stable's color; it becomes the
 * stable. An active release ends rolled back (its image marked failed). Terraform is told. The
 * stable it replaces is kept on the operation (`container`): if the new revision does not start,
 * Cloud Run keeps serving what it served and `containerRollbackFailed` puts the record back.
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
  const container = {
    revision: input.revision,
    replaced: { stable: record.stable, previousStables: record.previousStables ?? [] },
    failed: null,
  };
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
        container,
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
    container,
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
    onDeployFailure: {
      type: 'container-rollback-failed',
      operationId: operation.id,
      revision: input.revision,
    },
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

/**
 * The revision of a container rollback did not start (Cloud Run kept serving the stable it was
 * to replace, docs/google-behaviour.md): the record gets that stable and the stables before it
 * back, the rollback's own success events (rolled-back, Terraform sync) are dropped from the
 * outbox before they go out, and `release.failed` says what happened and what to do. A release
 * the rollback ended stays rolled back, its traffic now all on that stable. Ignored unless the
 * record is still that rollback's, on that revision (a repeated or stale report).
 */
export function containerRollbackFailed(
  record: ServiceRecord,
  input: Extract<ReleaseInput, { type: 'container-rollback-failed' }>,
  ctx: MachineContext,
): Transition {
  const operation = record.release?.phase === 'rolled-back' ? record.release : null;
  const container = operation?.container;
  if (
    !operation ||
    !container ||
    operation.id !== input.operationId ||
    container.failed !== null ||
    container.revision !== input.revision ||
    record.stable.revision !== input.revision
  )
    return ignore(record, `container rollback ${input.operationId} is not in flight`);
  const { stable, previousStables } = container.replaced;
  const endedRelease = operation.candidate.revision !== input.revision;
  const error = `container rollback to ${record.stable.image} failed: revision ${input.revision} did not start (${input.reason}); ${stable.revision} keeps serving${endedRelease ? `, and release ${operation.id} is rolled back onto it` : ''}. Fix the image or its environment and ask again, or push a fixed image`;
  const release = {
    ...operation,
    reason: `${operation.reason} (${error})`,
    container: { ...container, failed: error },
  };
  const prefix = `${operation.id}.`;
  const owed = (record.outbox?.owed ?? []).filter(
    (e) => !(e.id.startsWith(prefix) && e.kind === 'publish' && ON_SUCCESS.has(e.event.type)),
  );
  const next: ServiceRecord = {
    ...record,
    stable,
    previousStables,
    release,
    ...(record.outbox && { outbox: { ...record.outbox, owed } }),
    history: remember(record, {
      id: operation.id,
      image: record.stable.image,
      phase: 'rolled-back',
      endedAt: ctx.now.toISOString(),
      detail: error,
    }),
  };
  const service = ctx.config.service;
  return {
    record: next,
    ignored: null,
    summary: error,
    commands: [
      ...(endedRelease
        ? [
            { kind: 'update-service' as const, traffic: soleSplit(stable) },
            publish({
              type: 'release.rolled-back',
              ...eventBase(service, release, ctx.now),
              trigger: 'manual-container',
              reason: release.reason,
              requestedBy: operation.requestedBy,
              stable,
              smoke: null,
              failedChecks: [],
            }),
          ]
        : []),
      publish({ type: 'release.failed', ...eventBase(service, release, ctx.now), error }),
    ],
  };
}
