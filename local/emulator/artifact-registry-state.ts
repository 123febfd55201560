import { parseImageRef, repositoryName } from './artifact-registry-names.js';
import type {
  ArtifactRegistryStateDocument,
  ArtifactRegistryStore,
} from './artifact-registry-store.js';

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

/** The state API over the store. */
export function registryState(store: ArtifactRegistryStore): ArtifactRegistryState {
  return {
    push: (ref, tag, options) => store.push(ref, tag, options),
    deleteTag: async (ref, tag) => {
      const coordinates = parseImageRef(ref);
      await store.deleteTag(store.require(repositoryName(coordinates), coordinates.image), tag);
    },
    tags: (ref) => {
      const coordinates = parseImageRef(ref);
      const pkg = store.find(repositoryName(coordinates), coordinates.image);
      if (!pkg) return [];
      return Object.keys(pkg.tags)
        .sort()
        .map((tag) => ({ tag, digest: pkg.tags[tag] ?? '' }));
    },
    recipe: (digest) => store.recipe(digest),
    exportState: () => structuredClone(store.exportState()),
    importState: (document) => store.importState(structuredClone(document)),
  };
}
