import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { parseTagFilter } from './artifact-registry-filter.js';
import {
  escapePackage,
  imageRef,
  packageName,
  parseDockerImageName,
  parseImageRef,
  parsePackageChild,
  parseRepositoryName,
  repositoryName,
} from './artifact-registry-names.js';
import { ArtifactRegistryStore } from './artifact-registry-store.js';
import type {
  ArtifactRegistryStateDocument,
  Publisher,
  StoredPackage,
  StoredVersion,
} from './artifact-registry-store.js';
import { timestamp } from './cloud-run-codec.js';
import { paginate } from './paging.js';
import { loadProto, serviceDefinition } from './protos.js';
import type { EmulatorModule } from './server.js';

export type { ArtifactRegistryStateDocument, Publisher } from './artifact-registry-store.js';

/** What tests and the local platform do to the emulated registry directly, beside the gRPC API. */
export interface ArtifactRegistryState {
  /**
   * Records a push of `imageRef` (`LOCATION-docker.pkg.dev/P/R/IMAGE`), creating or moving `tag`
   * (null: a digest-only push), and publishes the INSERT notification to `projects/P/topics/gcr`.
   * `digest` defaults to a fresh sha256; `recipe` is stored for `recipe(digest)`.
   */
  push(
    imageRef: string,
    tag: string | null,
    options?: { digest?: string; recipe?: unknown },
  ): Promise<{ digest: string }>;
  /** Removes a tag and publishes the DELETE notification. */
  deleteTag(imageRef: string, tag: string): Promise<void>;
  /** The image's tags and the digests they point at, sorted by tag. */
  tags(imageRef: string): Array<{ tag: string; digest: string }>;
  /** The recipe stored with a digest by `push`, or undefined. */
  recipe(digest: string): unknown;
  exportState(): ArtifactRegistryStateDocument;
  importState(document: ArtifactRegistryStateDocument): void;
}

const PACKAGE = loadProto('artifactRegistry', 'google/devtools/artifactregistry/v1/service.proto');
const MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

interface PagedRequest {
  parent?: string;
  page_size?: number;
  page_token?: string;
}

/**
 * Artifact Registry v1, the Docker image and tag subset. Notifications from API calls (CreateTag,
 * UpdateTag, DeleteTag) are best effort, as in AR: a failing publish does not fail the call. Through
 * the state API a failing publish rejects, so tests see it.
 */
export function createArtifactRegistry(
  ctx: EmulatorContext,
  publish: Publisher,
  persist: () => void = () => undefined,
): EmulatorModule<ArtifactRegistryState> {
  const store = new ArtifactRegistryStore(ctx, publish, persist);
  const method = (name: string): string =>
    `google.devtools.artifactregistry.v1.ArtifactRegistry/${name}`;

  const requirePackage = (repository: string, image: string): StoredPackage => {
    const pkg = store.find(repository, image);
    if (!pkg)
      throw new RpcError(
        grpc.status.NOT_FOUND,
        `package ${repository}/packages/${escapePackage(image)} not found`,
      );
    return pkg;
  };
  const tagMessage = (pkg: StoredPackage, tag: string) => ({
    name: `${packageName(pkg.coordinates)}/tags/${tag}`,
    version: `${packageName(pkg.coordinates)}/versions/${pkg.tags[tag] ?? ''}`,
  });
  const versionMessage = (pkg: StoredPackage, version: StoredVersion, full: boolean) => ({
    name: `${packageName(pkg.coordinates)}/versions/${version.digest}`,
    create_time: timestamp(new Date(version.createTime)),
    update_time: timestamp(new Date(version.updateTime)),
    ...(full
      ? { related_tags: store.tagsOf(pkg, version.digest).map((tag) => tagMessage(pkg, tag)) }
      : {}),
  });
  const dockerImage = (pkg: StoredPackage, version: StoredVersion) => ({
    name: `${repositoryName(pkg.coordinates)}/dockerImages/${escapePackage(pkg.coordinates.image)}@${version.digest}`,
    uri: `${imageRef(pkg.coordinates)}@${version.digest}`,
    tags: store.tagsOf(pkg, version.digest),
    image_size_bytes: String(version.sizeBytes),
    upload_time: timestamp(new Date(version.createTime)),
    media_type: MEDIA_TYPE,
    update_time: timestamp(new Date(version.updateTime)),
  });

  const implementation: grpc.UntypedServiceImplementation = {
    ListDockerImages: unary(ctx, method('ListDockerImages'), (request: PagedRequest) => {
      parseRepositoryName(request.parent);
      const images = [...store.packages.values()]
        .filter((pkg) => repositoryName(pkg.coordinates) === request.parent)
        .flatMap((pkg) => pkg.versions.map((version) => dockerImage(pkg, version)));
      const page = paginate(images, request.page_size, request.page_token);
      return { docker_images: page.items, next_page_token: page.nextPageToken };
    }),
    GetDockerImage: unary(ctx, method('GetDockerImage'), (request: { name?: string }) => {
      const { repository, image, digest } = parseDockerImageName(request.name);
      const pkg = requirePackage(repository, image);
      const version = pkg.versions.find((candidate) => candidate.digest === digest);
      if (!version)
        throw new RpcError(grpc.status.NOT_FOUND, `docker image ${request.name ?? ''} not found`);
      return dockerImage(pkg, version);
    }),
    ListTags: unary(ctx, method('ListTags'), (request: PagedRequest & { filter?: string }) => {
      const { repository, image } = parsePackageChild(request.parent, null);
      const filter = parseTagFilter(request.filter);
      const pkg = store.find(repository, image);
      const tags = pkg
        ? Object.keys(pkg.tags)
            .sort()
            .map((tag) => tagMessage(pkg, tag))
            .filter((tag) => !filter || filter.matches(tag[filter.field]))
        : [];
      const page = paginate(tags, request.page_size, request.page_token);
      return { tags: page.items, next_page_token: page.nextPageToken };
    }),
    GetTag: unary(ctx, method('GetTag'), (request: { name?: string }) => {
      const { repository, image, id } = parsePackageChild(request.name, 'tags');
      const pkg = requirePackage(repository, image);
      if (pkg.tags[id ?? ''] === undefined)
        throw new RpcError(grpc.status.NOT_FOUND, `tag ${request.name ?? ''} not found`);
      return tagMessage(pkg, id ?? '');
    }),
    CreateTag: unary(
      ctx,
      method('CreateTag'),
      async (request: {
        parent?: string;
        tag_id?: string;
        tag?: { name?: string; version?: string };
      }) => {
        const { repository, image } = parsePackageChild(request.parent, null);
        const pkg = requirePackage(repository, image);
        const tag = request.tag_id || parsePackageChild(request.tag?.name, 'tags').id || '';
        await store.setTag(pkg, tag, versionDigest(request.tag?.version), true, 'best-effort');
        return tagMessage(pkg, tag);
      },
    ),
    UpdateTag: unary(
      ctx,
      method('UpdateTag'),
      async (request: { tag?: { name?: string; version?: string } }) => {
        const { repository, image, id } = parsePackageChild(request.tag?.name, 'tags');
        const pkg = requirePackage(repository, image);
        if (pkg.tags[id ?? ''] === undefined)
          throw new RpcError(grpc.status.NOT_FOUND, `tag ${request.tag?.name ?? ''} not found`);
        await store.setTag(
          pkg,
          id ?? '',
          versionDigest(request.tag?.version),
          false,
          'best-effort',
        );
        return tagMessage(pkg, id ?? '');
      },
    ),
    DeleteTag: unary(ctx, method('DeleteTag'), async (request: { name?: string }) => {
      const { repository, image, id } = parsePackageChild(request.name, 'tags');
      await store.deleteTag(requirePackage(repository, image), id ?? '', 'best-effort');
      return {};
    }),
    ListVersions: unary(
      ctx,
      method('ListVersions'),
      (request: PagedRequest & { view?: string }) => {
        const { repository, image } = parsePackageChild(request.parent, null);
        const pkg = store.find(repository, image);
        const versions = pkg
          ? pkg.versions.map((version) => versionMessage(pkg, version, request.view === 'FULL'))
          : [];
        const page = paginate(versions, request.page_size, request.page_token);
        return { versions: page.items, next_page_token: page.nextPageToken };
      },
    ),
    GetVersion: unary(ctx, method('GetVersion'), (request: { name?: string; view?: string }) => {
      const { repository, image, id } = parsePackageChild(request.name, 'versions');
      const pkg = requirePackage(repository, image);
      const version = pkg.versions.find((candidate) => candidate.digest === id);
      if (!version)
        throw new RpcError(grpc.status.NOT_FOUND, `version ${request.name ?? ''} not found`);
      return versionMessage(pkg, version, request.view === 'FULL');
    }),
  };

  const state: ArtifactRegistryState = {
    push: (ref, tag, options) => store.push(ref, tag, options),
    deleteTag: async (ref, tag) => {
      const coordinates = parseImageRef(ref);
      await store.deleteTag(requirePackage(repositoryName(coordinates), coordinates.image), tag);
    },
    tags: (ref) => {
      const coordinates = parseImageRef(ref);
      const pkg = store.find(repositoryName(coordinates), coordinates.image);
      return pkg
        ? Object.keys(pkg.tags)
            .sort()
            .map((tag) => ({ tag, digest: pkg.tags[tag] ?? '' }))
        : [];
    },
    recipe: (digest) => store.recipe(digest),
    exportState: () => structuredClone(store.exportState()),
    importState: (document) => store.importState(structuredClone(document)),
  };
  return {
    services: [
      {
        definition: serviceDefinition(
          PACKAGE,
          'google.devtools.artifactregistry.v1.ArtifactRegistry',
        ),
        implementation,
      },
    ],
    state,
  };
}

/** The digest of `…/versions/sha256:…`, or INVALID_ARGUMENT. */
function versionDigest(version: string | undefined): string {
  const id = parsePackageChild(version, 'versions').id;
  if (!id) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'tag.version is required');
  return id;
}
