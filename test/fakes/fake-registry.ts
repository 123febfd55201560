import { packageName } from '../../shared/adapters/gcp/artifact-registry.js';
import { PermanentError } from '../../shared/errors.js';
import type { ImageRegistry, ImageTag } from '../../shared/ports/image-registry.js';

/**
 * In-memory Artifact Registry tags. Image references are checked as the real adapter checks them
 * (Artifact Registry Docker images only); a tag points at one digest and moves when re-added.
 */
export class FakeRegistry implements ImageRegistry {
  private readonly images = new Map<string, Map<string, string>>();

  /** Points each tag at its digest (`{ '2.1.0': 'sha256:…' }`). */
  seed(image: string, tags: Record<string, string>): void {
    packageName(image);
    const map = this.images.get(image) ?? new Map<string, string>();
    for (const [tag, digest] of Object.entries(tags)) map.set(tag, digest);
    this.images.set(image, map);
  }

  /** The tag's digest, or null. */
  digestOf(image: string, tag: string): string | null {
    return this.images.get(image)?.get(tag) ?? null;
  }

  async listTags(image: string): Promise<ImageTag[]> {
    packageName(image);
    const map = this.images.get(image);
    if (!map) throw new PermanentError('ListTags', 'NOT_FOUND', `package of ${image} not found`);
    return [...map.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tag, digest]) => ({ tag, digest }));
  }

  async addTag(image: string, digest: string, tag: string): Promise<void> {
    packageName(image);
    const bare = digest.slice(digest.lastIndexOf('@') + 1);
    if (!bare.startsWith('sha256:'))
      throw new PermanentError(
        'ImageRegistry',
        'INVALID_ARGUMENT',
        `"${digest}" is not a sha256 digest`,
      );
    const map = this.images.get(image);
    if (!map || ![...map.values()].includes(bare)) {
      throw new PermanentError('CreateTag', 'NOT_FOUND', `version ${bare} of ${image} not found`);
    }
    map.set(tag, bare);
  }
}
