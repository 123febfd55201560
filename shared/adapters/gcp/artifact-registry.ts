import { status } from '@grpc/grpc-js';
import type { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import { parseImageRef } from '../../domain/image-ref.js';
import { registryPackage } from '../../domain/registry-repository.js';
import { PermanentError } from '../../errors.js';
import type { ImageRegistry, ImageTag } from '../../ports/image-registry.js';
import { grpcCode } from './grpc-errors.js';
import { NO_GAX_RETRY, withRetry, type RetryPolicy } from './retry.js';

/**
 * `LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE[/PATH…]` → the package's resource name,
 * `projects/P/locations/L/repositories/R/packages/IMAGE%2FPATH` (slashes of a nested image path
 * are escaped). A `gcr.io` reference names a package of Artifact Registry's gcr.io repository for
 * its host: `gcr.io/P/IMAGE` → `projects/P/locations/us/repositories/gcr.io/packages/IMAGE`.
 * Other hosts are rejected.
 */
export function packageName(image: string): string {
  const unsupported = (why: string): never => {
    throw new PermanentError(
      'ImageRegistry',
      'UNSUPPORTED_IMAGE',
      `"${image}" is not an Artifact Registry image (LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE or gcr.io/PROJECT/IMAGE, no tag or digest): ${why}`,
    );
  };
  let ref;
  try {
    ref = parseImageRef(image);
  } catch (error) {
    return unsupported((error as Error).message);
  }
  if (ref.tag || ref.digest) return unsupported('it has a tag or digest');
  const pkg = registryPackage(ref) ?? unsupported(`${ref.host} is not an Artifact Registry host`);
  return `projects/${pkg.project}/locations/${pkg.location}/repositories/${pkg.repository}/packages/${pkg.image.replaceAll('/', '%2F')}`;
}

/** `sha256:…`, also accepted as a full `image@sha256:…` reference. */
function bareDigest(digest: string): string {
  const d = digest.slice(digest.lastIndexOf('@') + 1);
  if (!d.startsWith('sha256:'))
    throw new PermanentError(
      'ImageRegistry',
      'INVALID_ARGUMENT',
      `"${digest}" is not a sha256 digest`,
    );
  return d;
}

/** ImageRegistry on Artifact Registry v1 (tags of a Docker package). */
export class ArtifactRegistry implements ImageRegistry {
  constructor(private readonly options: { client: ArtifactRegistryClient; retry?: RetryPolicy }) {}

  /** Every tag of the image (all pages), each with the digest it points at. */
  async listTags(image: string): Promise<ImageTag[]> {
    const parent = packageName(image);
    const out: ImageTag[] = [];
    let pageToken = '';
    do {
      const request = { parent, pageSize: 1000, pageToken };
      const [tags, , response] = await withRetry(
        'ListTags',
        () => this.options.client.listTags(request, { ...NO_GAX_RETRY, autoPaginate: false }),
        this.retry(parent),
      );
      for (const t of tags) {
        const version = t.version ?? '';
        out.push({
          tag: decodeURIComponent((t.name ?? '').slice((t.name ?? '').lastIndexOf('/') + 1)),
          digest: version.slice(version.lastIndexOf('/') + 1),
        });
      }
      pageToken = response?.nextPageToken ?? '';
    } while (pageToken);
    return out;
  }

  /** Creates the tag; when it already exists, moves it (UpdateTag of `version`). */
  async addTag(image: string, digest: string, tag: string): Promise<void> {
    const parent = packageName(image);
    const body = {
      name: `${parent}/tags/${tag}`,
      version: `${parent}/versions/${bareDigest(digest)}`,
    };
    try {
      await withRetry(
        'CreateTag',
        () => this.options.client.createTag({ parent, tagId: tag, tag: body }, NO_GAX_RETRY),
        this.retry(body.name),
      );
      return;
    } catch (error) {
      if (grpcCode((error as Error).cause) !== status.ALREADY_EXISTS) throw error;
    }
    await withRetry(
      'UpdateTag',
      () =>
        this.options.client.updateTag(
          { tag: body, updateMask: { paths: ['version'] } },
          NO_GAX_RETRY,
        ),
      this.retry(body.name),
    );
  }

  private retry(resource: string): { resource: string; policy?: RetryPolicy } {
    return this.options.retry ? { resource, policy: this.options.retry } : { resource };
  }
}
