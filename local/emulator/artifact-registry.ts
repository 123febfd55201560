import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { parseTagFilter } from './artifact-registry-filter.js';
import {
  parseDockerImageName,
  parsePackageChild,
  parseRepositoryName,
  repositoryName,
} from './artifact-registry-names.js';
import { ArtifactRegistryStore } from './artifact-registry-store.js';
import type { Publisher } from './artifact-registry-store.js';
import { registryState } from './artifact-registry-state.js';
import type { ArtifactRegistryState } from './artifact-registry-state.js';
import { dockerImage, tagMessage, versionMessage } from './artifact-registry-messages.js';
import { paginate } from './paging.js';
import { loadProto, serviceDefinition } from './protos.js';
import type { EmulatorModule } from './server.js';

export type { ArtifactRegistryStateDocument, Publisher } from './artifact-registry-store.js';
export type { ArtifactRegistryState } from './artifact-registry-state.js';

const PACKAGE = loadProto('artifactRegistry', 'google/devtools/artifactregistry/v1/service.proto');

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

  const requirePackage = (repository: string, image: string) => store.require(repository, image);

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

  const state = registryState(store);
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
