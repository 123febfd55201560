import type { Command } from '../domain/commands.js';
import { isImageRef, parseImageRef, repositoryOf, withDigest } from '../domain/image-ref.js';
import { initialRecord } from '../domain/release-machine.js';
import { serviceId } from '../domain/release-start.js';
import { candidateVersion } from '../domain/version-tag.js';
import { serviceConfig } from '../schemas/config.js';
import type { Transition } from '../domain/release-input.js';
import { ConflictError, DeployFailedError, PermanentError } from '../errors.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';

/** How many times a decision is re-made after a concurrent write before giving up (and retrying by redelivery). */
const MAX_CONFLICTS = 5;

export type Applied =
  | { kind: 'applied'; transition: Transition; view: ServiceView }
  | { kind: 'ignored'; reason: string; record: ServiceRecord }
  | { kind: 'deploy-failed'; error: DeployFailedError };

/** Decides on a fresh read; may itself read more (metrics, probes) before deciding. */
export type Decide = (record: ServiceRecord, view: ServiceView) => Promise<Transition> | Transition;

/**
 * Read, decide, write — guarded by the etag that was read. A conflict re-reads and decides again,
 * so concurrent deliveries converge on one outcome and traffic moves once. Publishes and image
 * tags run only after the write succeeded (the tick re-drives any step whose event was lost).
 */
export async function applyDecision(deps: Deps, service: string, decide: Decide): Promise<Applied> {
  const platform = deps.platform();
  for (let attempt = 1; ; attempt++) {
    const view = await platform.get(service);
    const record = view.record ?? (await bootstrapRecord(deps, view));
    const transition = await decide(record, view);
    if (transition.ignored !== null) {
      await runSideEffects(deps, transition.commands);
      return { kind: 'ignored', reason: transition.ignored, record };
    }
    const update = transition.commands.find(
      (c): c is Extract<Command, { kind: 'update-service' }> => c.kind === 'update-service',
    );
    try {
      const updated = await platform.update(view, {
        traffic: update?.traffic ?? view.written,
        record: transition.record,
        ...(update?.deploy ? { deploy: update.deploy } : {}),
      });
      await runSideEffects(deps, transition.commands);
      return { kind: 'applied', transition, view: updated };
    } catch (error) {
      if (error instanceof DeployFailedError) return { kind: 'deploy-failed', error };
      if (error instanceof ConflictError && attempt < MAX_CONFLICTS) {
        deps.logger.info('service changed while deciding; deciding again', { service, attempt });
        continue;
      }
      throw error;
    }
  }
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

/**
 * `repo:tag` → `repo@sha256:…` through the registry. A by-digest reference, one the registry
 * cannot resolve, or one that is not an image reference stays as it is.
 */
async function byDigest(deps: Deps, image: string): Promise<string> {
  if (!isImageRef(image)) return image;
  const ref = parseImageRef(image);
  if (ref.digest) return image;
  const tag = ref.tag ?? 'latest';
  try {
    const found = (await deps.registry().listTags(repositoryOf(ref))).find((t) => t.tag === tag);
    return found ? withDigest(ref, found.digest) : image;
  } catch (error) {
    deps.logger.warn('cannot resolve the stable image tag to a digest; keeping the tag', {
      image,
      error,
    });
    return image;
  }
}

async function runSideEffects(deps: Deps, commands: Command[]): Promise<void> {
  for (const command of commands) {
    if (command.kind === 'tag-image') await tagImage(deps, command.image, command.tag);
    if (command.kind === 'publish')
      await deps
        .bus()
        .publish(deps.config.topics.deploymentEvents, command.event, { type: command.event.type });
  }
}

/** Tags the image a reference points at: `repo@sha256:…` directly, `repo:tag` through the tag's digest. */
async function tagImage(deps: Deps, image: string, tag: string): Promise<void> {
  const resolved = await byDigest(deps, image);
  const at = resolved.lastIndexOf('@');
  if (at < 0) {
    deps.logger.warn(
      'cannot tag the previous stable image: its tag no longer resolves to a digest',
      { image, tag },
    );
    return;
  }
  await deps.registry().addTag(resolved.slice(0, at), resolved.slice(at + 1), tag);
}
