import type { Release, ServiceRecord } from '../schemas/release.js';
import { isTerminal } from '../schemas/release.js';
import type { Command } from './commands.js';
import { eventBase, publish } from './release-events.js';
import { remember } from './release-endings.js';
import type { MachineContext, ReleaseInput, Transition } from './release-input.js';
import { otherColor, stepSplit } from './traffic.js';
import { candidateVersion } from './version-tag.js';

type Push = Extract<ReleaseInput, { type: 'push' }>;

/** The service id: last segment of `projects/P/locations/L/services/S`. */
export function serviceId(service: string): string {
  return service.slice(service.lastIndexOf('/') + 1);
}

/**
 * The candidate's revision name: the service id plus the release id, cut to Cloud Run's 63
 * characters. Naming it up front makes a duplicate deploy fail instead of creating a twin.
 */
export function candidateRevisionName(service: string, releaseId: string): string {
  const name = `${serviceId(service)}-${releaseId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return name.slice(0, 63).replace(/-+$/, '');
}

function unchanged(record: ServiceRecord, ignored: string, commands: Command[] = []): Transition {
  return { record, commands, ignored, summary: `ignored: ${ignored}` };
}

/**
 * A push of a followed image: starts a release, unless the image is known (stable, candidate,
 * failed), or a release is active and the policy rejects pushes meanwhile. Under the supersede
 * policy the active release ends as `superseded` and the new candidate takes its slot.
 */
export function startRelease(
  record: ServiceRecord,
  input: Push,
  ctx: MachineContext,
  service: string,
): Transition {
  if (record.failedImages.includes(input.image))
    return unchanged(record, `${input.image} failed an earlier release`);
  if (record.stable.image === input.image)
    return unchanged(record, `${input.image} is already the stable image`);
  const active = record.release && !isTerminal(record.release.phase) ? record.release : null;
  if (active?.candidate.image === input.image) {
    return unchanged(record, `${input.image} is already the candidate of release ${active.id}`);
  }
  if (record.release?.id === input.releaseId)
    return unchanged(record, `release ${input.releaseId} already exists`);

  const commands: Command[] = [];
  let history = record.history;
  if (active && ctx.config.onPushDuringRelease === 'reject') {
    return unchanged(record, `release ${active.id} is active and pushes meanwhile are rejected`, [
      publish({
        type: 'release.rejected',
        ...eventBase(service, active, ctx.now),
        image: input.image,
        reason: `release ${active.id} is still ${active.phase}; onPushDuringRelease is reject`,
      }),
    ]);
  }
  if (active) {
    const superseded: Release = {
      id: active.id,
      candidate: active.candidate,
      tag: active.tag,
      startedAt: active.startedAt,
      phase: 'superseded',
      endedAt: ctx.now.toISOString(),
      supersededBy: input.releaseId,
    };
    history = remember(record, {
      id: active.id,
      image: active.candidate.image,
      phase: 'superseded',
      endedAt: superseded.endedAt,
      detail: `superseded by ${input.releaseId} (${input.tag})`,
    });
    commands.push(
      publish({
        type: 'release.superseded',
        ...eventBase(service, active, ctx.now),
        percent: 0,
        supersededBy: input.releaseId,
      }),
    );
  }

  const color = otherColor(record.stable.color);
  const candidate = {
    revision: candidateRevisionName(service, input.releaseId),
    image: input.image,
    color,
    ...candidateVersion(ctx.config, input.tag, serviceId(service)),
  };
  const release: Release = {
    id: input.releaseId,
    phase: 'provisioning',
    candidate,
    tag: input.tag,
    startedAt: ctx.now.toISOString(),
  };
  commands.unshift({
    kind: 'update-service',
    traffic: stepSplit(record.stable, candidate, 0),
    deploy: {
      revision: candidate.revision,
      from: record.stable.revision,
      image: input.image,
      env: ctx.config.colors[color].env,
      color,
    },
  });
  return {
    record: { ...record, release, history },
    commands,
    ignored: null,
    summary: `started release ${input.releaseId} of ${input.tag} as ${candidate.revision} (${color})${active ? `, superseding ${active.id}` : ''}`,
  };
}
