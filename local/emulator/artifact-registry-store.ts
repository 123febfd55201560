import { createHash, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import type { EmulatorContext } from './faults.js';
import {
  escapePackage,
  imageRef,
  packageName,
  parseImageRef,
  TAG_PATTERN,
} from './artifact-registry-names.js';
import type { ImageCoordinates } from './artifact-registry-names.js';

/** Publishes one Pub/Sub message; `topic` is the full `projects/P/topics/T`. Resolves with the message id. */
export type Publisher = (
  topic: string,
  data: Buffer,
  attributes?: Record<string, string>,
) => Promise<string>;

/** One image manifest (a version) of a package. Times are ISO strings so the state persists as JSON. */
export interface StoredVersion {
  digest: string;
  createTime: string;
  updateTime: string;
  sizeBytes: number;
  /** Opaque to the emulator: how the local platform starts this image. */
  recipe?: unknown;
}

/** A Docker image (package) with its versions and tags. */
export interface StoredPackage {
  coordinates: ImageCoordinates;
  versions: StoredVersion[];
  /** tag → digest */
  tags: Record<string, string>;
}

export interface ArtifactRegistryStateDocument {
  packages: StoredPackage[];
}

/**
 * 'strict': a failing publish rejects; 'best-effort': it is ignored, as AR's own notifications are.
 * Either way a missing `gcr` topic (NOT_FOUND) drops the message: AR publishes only when the topic
 * exists, and the push itself succeeds.
 */
export type Delivery = 'strict' | 'best-effort';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Artifact Registry's Docker images. Every change that real AR notifies about publishes the documented
 * message to topic `gcr` of the registry's project: INSERT with `digest` (and `tag` when a tag was
 * added or moved), DELETE with `tag` when a tag is removed.
 */
export class ArtifactRegistryStore {
  /** Keyed by package resource name. */
  readonly packages = new Map<string, StoredPackage>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly publish: Publisher,
    readonly persist: () => void,
  ) {}

  find(repository: string, image: string): StoredPackage | undefined {
    return this.packages.get(`${repository}/packages/${image.replace(/\//g, '%2F')}`);
  }

  require(repository: string, image: string): StoredPackage {
    const pkg = this.find(repository, image);
    if (!pkg) {
      const name = `${repository}/packages/${escapePackage(image)}`;
      throw new RpcError(grpc.status.NOT_FOUND, `package ${name} not found`);
    }
    return pkg;
  }

  /** Records a pushed image (and moves or creates `tag`), then notifies. */
  async push(
    ref: string,
    tag: string | null,
    options: { digest?: string; recipe?: unknown } = {},
  ): Promise<{ digest: string }> {
    const coordinates = parseImageRef(ref);
    if (tag !== null && !TAG_PATTERN.test(tag))
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid tag "${tag}"`);
    const digest =
      options.digest ??
      `sha256:${createHash('sha256')
        .update(`${ref}:${tag ?? ''}:${randomUUID()}`)
        .digest('hex')}`;
    if (!DIGEST.test(digest))
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `digest "${digest}" must be sha256: and 64 hex digits`,
      );
    const key = packageName(coordinates);
    const pkg = this.packages.get(key) ?? { coordinates, versions: [], tags: {} };
    this.packages.set(key, pkg);
    const now = this.ctx.clock.now().toISOString();
    const existing = pkg.versions.find((version) => version.digest === digest);
    if (existing) {
      existing.updateTime = now;
      if (options.recipe !== undefined) existing.recipe = options.recipe;
    } else {
      pkg.versions.push({
        digest,
        createTime: now,
        updateTime: now,
        sizeBytes: 20_000_000 + (parseInt(digest.slice(7, 13), 16) % 10_000_000),
        recipe: options.recipe,
      });
    }
    if (tag !== null) pkg.tags[tag] = digest;
    this.persist();
    await this.notify(coordinates, 'INSERT', digest, tag);
    return { digest };
  }

  /** Points `tag` at an existing version; `mustBeNew` makes an existing tag ALREADY_EXISTS. */
  async setTag(
    pkg: StoredPackage,
    tag: string,
    digest: string,
    mustBeNew: boolean,
    delivery: Delivery = 'strict',
  ): Promise<void> {
    if (!TAG_PATTERN.test(tag))
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid tag id "${tag}"`);
    if (mustBeNew && pkg.tags[tag] !== undefined)
      throw new RpcError(grpc.status.ALREADY_EXISTS, `tag ${tag} already exists`);
    if (!pkg.versions.some((version) => version.digest === digest)) {
      throw new RpcError(
        grpc.status.NOT_FOUND,
        `version ${digest} of ${imageRef(pkg.coordinates)} does not exist`,
      );
    }
    pkg.tags[tag] = digest;
    this.persist();
    await this.notify(pkg.coordinates, 'INSERT', digest, tag, delivery);
  }

  async deleteTag(pkg: StoredPackage, tag: string, delivery: Delivery = 'strict'): Promise<void> {
    if (pkg.tags[tag] === undefined)
      throw new RpcError(
        grpc.status.NOT_FOUND,
        `tag ${tag} of ${imageRef(pkg.coordinates)} does not exist`,
      );
    delete pkg.tags[tag];
    this.persist();
    await this.notify(pkg.coordinates, 'DELETE', null, tag, delivery);
  }

  /** The stored recipe of a digest in any package, or undefined. */
  recipe(digest: string): unknown {
    for (const pkg of this.packages.values()) {
      const version = pkg.versions.find((candidate) => candidate.digest === digest);
      if (version) return version.recipe;
    }
    return undefined;
  }

  /** The notification exactly as AR documents it: key order action, digest, tag; absent keys left out. */
  private async notify(
    c: ImageCoordinates,
    action: 'INSERT' | 'DELETE',
    digest: string | null,
    tag: string | null,
    delivery: Delivery = 'strict',
  ): Promise<void> {
    const message: Record<string, string> = { action };
    if (digest !== null) message.digest = `${imageRef(c)}@${digest}`;
    if (tag !== null) message.tag = `${imageRef(c)}:${tag}`;
    const sent = this.publish(
      `projects/${c.project}/topics/gcr`,
      Buffer.from(JSON.stringify(message)),
    );
    await sent.catch((error: unknown) => {
      if (delivery === 'strict' && (error as { code?: unknown }).code !== grpc.status.NOT_FOUND) {
        throw error;
      }
    });
  }

  exportState(): ArtifactRegistryStateDocument {
    return { packages: [...this.packages.values()] };
  }

  importState(document: ArtifactRegistryStateDocument): void {
    for (const pkg of document.packages) this.packages.set(packageName(pkg.coordinates), pkg);
  }
}

/** The tags pointing at `digest`, sorted. */
export function tagsOf(pkg: StoredPackage, digest: string): string[] {
  return Object.entries(pkg.tags)
    .filter(([, target]) => target === digest)
    .map(([tag]) => tag)
    .sort();
}
