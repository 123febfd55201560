import type { Config, ServiceConfig } from '../schemas/config.js';
import type { ArtifactRegistryNotification } from '../schemas/inbound/artifact-registry.js';
import { isTerminal, type ServiceRecord } from '../schemas/release.js';
import { parseImageRef, repositoryOf, withDigest } from './image-ref.js';
import { isReservedTag, RESERVED_TAG_PREFIX } from './rollback-tag.js';
import { firstMatch } from './tag-pattern.js';

/** What provisionGreen does with one `gcr` notification, before it reads the service's record. */
export type PushDecision =
  | {
      kind: 'release';
      service: ServiceConfig;
      /** Repository reference without tag or digest: `host/project/repo/image`. */
      image: string;
      /** What gets deployed: `host/project/repo/image@sha256:…`. */
      imageRef: string;
      /** `sha256:…` */
      digest: string;
      /** The bare tag that was pushed (`2.1.0`). */
      tag: string;
    }
  | { kind: 'ignored'; reason: string };

/** Tags cosign and similar tools push beside an image: `sha256-<hex>.sig`, `.att`, `.sbom`. */
const SIGNATURE_TAG = /^sha256-[0-9a-f]+(?:\.[a-z]+)?$|\.(?:sig|att|sbom)$/;

/**
 * Classifies a push for every configured service that follows its image: one decision per such
 * service (a service's own tag lists may ignore what another one releases), or a single `ignored`
 * when the notification concerns no service at all. Checks, in order: DELETE, digest-only INSERT,
 * tag without digest, signature/attestation tag, a tag under the reserved `rollback-` prefix
 * (whatever the service's lists say), tag and digest naming different images, image no
 * service follows, then per service the ignore list and the include list.
 * Failed digests and "already stable or candidate" need the record: see `digestKnown`.
 */
export function classifyPushes(
  notification: ArtifactRegistryNotification,
  config: Config,
): PushDecision[] {
  const ignored = (reason: string): PushDecision[] => [{ kind: 'ignored', reason }];
  if (notification.action === 'DELETE')
    return ignored('DELETE: a removed tag or image never starts a release');
  if (notification.tag === undefined)
    return ignored('no tag: a digest-only INSERT (untagged push)');
  if (notification.digest === undefined)
    return ignored('no digest: an INSERT that names only a tag');

  const tagged = parseImageRef(notification.tag);
  const digested = parseImageRef(notification.digest);
  const tag = tagged.tag ?? '';
  const digest = digested.digest ?? '';
  if (SIGNATURE_TAG.test(tag)) return ignored(`signature/attestation tag ${tag}`);
  if (isReservedTag(tag))
    return ignored(
      `tag ${tag} is under ${RESERVED_TAG_PREFIX}, reserved for cutover's own rollback tags: it never starts a release`,
    );
  const image = repositoryOf(tagged);
  if (repositoryOf(digested) !== image) {
    return ignored(
      `tag ${notification.tag} and digest ${notification.digest} name different images`,
    );
  }

  const services = config.services.filter((s) => s.image === image);
  if (services.length === 0) return ignored(`no service follows image ${image}`);
  return services.map((service): PushDecision => {
    const ignoredBy = firstMatch(service.tags.ignore, tag);
    if (ignoredBy !== null)
      return {
        kind: 'ignored',
        reason: `tag ${tag} matches ignore pattern ${ignoredBy} of ${service.service}`,
      };
    if (firstMatch(service.tags.include, tag) === null) {
      return {
        kind: 'ignored',
        reason: `tag ${tag} matches no include pattern of ${service.service} (${service.tags.include.join(', ')})`,
      };
    }
    return { kind: 'release', service, image, imageRef: withDigest(image, digest), digest, tag };
  });
}

/**
 * The decision for a push as one answer: the first release among `classifyPushes`, else its first
 * `ignored`. Use `classifyPushes` where several services may follow one image.
 */
export function classifyPush(
  notification: ArtifactRegistryNotification,
  config: Config,
): PushDecision {
  const all = classifyPushes(notification, config);
  const decision = all.find((d) => d.kind === 'release') ?? all[0];
  if (decision === undefined) throw new Error('classifyPushes returned no decision');
  return decision;
}

/**
 * Whether the service's record already knows `digest` (`sha256:…`): a failed digest is never
 * released again, and a digest that is the stable or the candidate is a duplicate notification.
 * Only an active (non-terminal) release's candidate counts. `failedImages` entries may be bare digests or `image@digest` references; both are matched.
 */
export function digestKnown(
  record: ServiceRecord | null,
  digest: string,
): 'failed' | 'stable' | 'candidate' | null {
  if (record === null) return null;
  const same = (ref: string) => ref === digest || ref.endsWith(`@${digest}`);
  if (record.failedImages.some(same)) return 'failed';
  if (same(record.stable.image)) return 'stable';
  if (record.release && !isTerminal(record.release.phase) && same(record.release.candidate.image))
    return 'candidate';
  return null;
}
