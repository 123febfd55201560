import { isImageRef, parseImageRef, repositoryOf, withDigest } from '../domain/image-ref.js';
import { PermanentError } from '../errors.js';
import type { Deps } from './deps.js';

/**
 * `repo:tag` → `repo@sha256:…` through the registry. A by-digest reference, one the registry
 * cannot resolve, or one that is not an image reference stays as it is.
 */
export async function byDigest(deps: Deps, image: string): Promise<string> {
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

/**
 * Tags the image a reference points at: `repo@sha256:…` directly, `repo:tag` through the tag's
 * digest. Creating a tag that already points there succeeds, so a retry is harmless.
 */
export async function tagImage(deps: Deps, image: string, tag: string): Promise<void> {
  const resolved = await byDigest(deps, image);
  const at = resolved.lastIndexOf('@');
  if (at < 0) {
    throw new PermanentError(
      'tag image',
      'NOT_FOUND',
      `${image} does not resolve to a digest (its tag moved or was deleted); tag the image by hand with ${tag}`,
    );
  }
  await deps.registry().addTag(resolved.slice(0, at), resolved.slice(at + 1), tag);
}
