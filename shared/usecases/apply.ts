import type { Command } from '../domain/commands.js';
import { actedOn, alreadyActedOn, type Delivery } from '../domain/deliveries.js';
import { isImageRef, parseImageRef } from '../domain/image-ref.js';
import { enqueue } from '../domain/outbox.js';
import { initialRecord, transition as machineTransition } from '../domain/release-machine.js';
import type { ReleaseInput } from '../domain/release-input.js';
import { serviceId } from '../domain/release-start.js';
import { candidateVersion } from '../domain/version-tag.js';
import { serviceConfig } from '../schemas/config.js';
import type { Transition } from '../domain/release-input.js';
import {
  ConflictError,
  DeployFailedError,
  LostRaceError,
  MissingRevisionError,
  PermanentError,
} from '../errors.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';
import { drainOutbox } from './drain-outbox.js';
import { holdForMissingRevision } from './missing-revision.js';
import { byDigest } from './tag-image.js';

/** How many times a decision is re-made after a concurrent write before giving up (and retrying by redelivery). */
const MAX_CONFLICTS = 5;
/**
 * After this long another invocation may carry out effects a writer left owed (it crashed, or its
 * function timed out). Longer after a deploy: the writer waits for the revision before draining,
 * up to the function timeout (540 s at most for an event function).
 */
const GRACE_SECONDS = 120;
const DEPLOY_GRACE_SECONDS = 600;

export type Applied =
  | { kind: 'applied'; transition: Transition; view: ServiceView }
  | { kind: 'ignored'; reason: string; record: ServiceRecord }
  | { kind: 'deploy-failed'; error: DeployFailedError };

/** Decides on a fresh read; may itself read more (metrics, probes) before deciding. */
export type Decide = (record: ServiceRecord, view: ServiceView) => Promise<Transition> | Transition;

export interface DecisionOptions {
  /** The input's identity: a delivery the record already acted on changes nothing. */
  delivery?: Delivery;
  /** Write effects as this owner (a follow-up of a failed deploy: it carries out that one's too). */
  owner?: string;
}

/**
 * Read, decide, write — guarded by the etag that was read, and confirmed by the platform's re-read
 * after the write (LostRaceError when another record landed over it, as when etag is not
 * enforced). A conflict re-reads and decides again, so concurrent deliveries converge on one
 * outcome and traffic moves once; a write another writer then built on (its record acted on this
 * delivery) counts as applied.
 *
 * Side effects (publishes, image tags) go into the record's outbox in the same write as the
 * decision and are carried out after it, then cleared. A write that landed but whose answer was
 * lost (UNAVAILABLE, DEADLINE_EXCEEDED, then a conflict on the retry) is found on the re-read: the
 * delivery is remembered, so nothing is decided twice, and the effects this invocation wrote are
 * carried out. Effects left owed by an invocation that died are carried out by any later delivery
 * or tick once they are due.
 */
export async function applyDecision(
  deps: Deps,
  service: string,
  decide: Decide,
  options: DecisionOptions = {},
): Promise<Applied> {
  const platform = deps.platform();
  const owner = options.owner ?? deps.newId();
  for (let attempt = 1; ; attempt++) {
    const view = await platform.get(service);
    const record = view.record ?? (await bootstrapRecord(deps, view));
    const duplicate = options.delivery ? alreadyActedOn(record, options.delivery) : null;
    const transition = duplicate ? unchanged(record, duplicate) : await decide(record, view);
    if (transition.ignored !== null) {
      await publishNow(deps, transition.commands);
      await drainOutbox(deps, view, record, owner);
      return { kind: 'ignored', reason: transition.ignored, record };
    }
    const update = transition.commands.find(
      (c): c is Extract<Command, { kind: 'update-service' }> => c.kind === 'update-service',
    );
    const grace = (update?.deploy ? DEPLOY_GRACE_SECONDS : GRACE_SECONDS) * 1000;
    const dueAt = new Date(deps.clock.now().getTime() + grace);
    let next = enqueue(transition.record, transition.commands, { owner, dueAt });
    if (options.delivery && !transition.provisional) next = actedOn(next, options.delivery);
    const written = { ...transition, record: next };
    try {
      const updated = await platform.update(view, {
        traffic: update?.traffic ?? view.written,
        record: next,
        ...(update?.deploy ? { deploy: update.deploy } : {}),
      });
      return {
        kind: 'applied',
        transition: written,
        // The platform may have renamed the deployed revision in the record (cloud-run-deploy.ts):
        // drain from the record as it landed, not as it was asked.
        view: await drainOutbox(deps, updated, updated.record ?? next, owner),
      };
    } catch (error) {
      if (error instanceof DeployFailedError) {
        // The write landed (the record names the new revision); its effects are still owed. A
        // transition that says what a failed deploy means has it decided first, so effects that
        // only hold if the revision serves are dropped before they go out.
        const follow = transition.onDeployFailure;
        if (follow) {
          await applyDecision(
            deps,
            service,
            (record) =>
              machine(
                record,
                { ...follow, revision: error.revision, reason: error.detail },
                deps,
                service,
              ),
            { owner },
          );
          return { kind: 'deploy-failed', error };
        }
        const after = await platform.get(service);
        if (after.record) await drainOutbox(deps, after, after.record, owner);
        return { kind: 'deploy-failed', error };
      }
      if (error instanceof MissingRevisionError)
        await holdForMissingRevision(deps, service, record, error);
      if (error instanceof LostRaceError && options.delivery) {
        // Another writer wrote after this write landed. When its record acted on this delivery it
        // built on this write (or, for a tick, on a newer slot): nothing is lost or to decide again.
        const after = await platform.get(service);
        if (after.record && alreadyActedOn(after.record, options.delivery))
          return {
            kind: 'applied',
            transition: written,
            view: await drainOutbox(deps, after, after.record, owner),
          };
      }
      if (error instanceof ConflictError && attempt < MAX_CONFLICTS) {
        deps.logger.info('service changed while deciding; deciding again', {
          service,
          attempt,
          why: error instanceof LostRaceError ? 'another record landed over this write' : 'etag',
        });
        continue;
      }
      throw error;
    }
  }
}

/** The release machine's decision on `input` for the service, now. */
function machine(
  record: ServiceRecord,
  input: ReleaseInput,
  deps: Deps,
  service: string,
): Transition {
  const config = serviceConfig(deps.config, service);
  if (!config)
    throw new PermanentError('decide', 'NOT_FOUND', `service ${service} is not configured`);
  return machineTransition(record, input, { config, now: deps.clock.now() });
}

function unchanged(record: ServiceRecord, why: string): Transition {
  return { record, commands: [], ignored: why, summary: `ignored: ${why}` };
}

/**
 * Publishes that come with no change of the record (a rejected push): there is no write to tie
 * them to, so they go out at once; a redelivery may publish them again.
 */
async function publishNow(deps: Deps, commands: Command[]): Promise<void> {
  for (const command of commands)
    if (command.kind === 'publish')
      await deps
        .bus()
        .publish(deps.config.topics.deploymentEvents, command.event, { type: command.event.type });
}

/**
 * A service cutover never released: its stable is whatever serves the most traffic now. An image
 * deployed by tag (Terraform often does) is resolved to its digest, so a later push of the same
 * digest is recognised as the stable image rather than released again.
 */
async function bootstrapRecord(deps: Deps, view: ServiceView): Promise<ServiceRecord> {
  const serving = [...view.traffic].sort((a, b) => b.percent - a.percent)[0];
  if (!serving || serving.percent === 0) {
    throw new PermanentError(
      'read service',
      'FAILED_PRECONDITION',
      `${view.name} serves no traffic; deploy it (terraform apply) before releasing`,
    );
  }
  const revision = await deps.platform().revision(view.name, serving.revision);
  if (!revision) {
    throw new PermanentError(
      'read revision',
      'NOT_FOUND',
      `${serving.revision} of ${view.name} serves traffic but cannot be read`,
    );
  }
  // Deployed by tag (`repo:1.0.0`): the stable gets that tag's version (v1) like a candidate would.
  const deployedTag = isImageRef(revision.image) ? parseImageRef(revision.image).tag : null;
  const config = serviceConfig(deps.config, view.name);
  return initialRecord({
    revision: serving.revision,
    image: await byDigest(deps, revision.image),
    ...(deployedTag && config ? candidateVersion(config, deployedTag, serviceId(view.name)) : {}),
  });
}
