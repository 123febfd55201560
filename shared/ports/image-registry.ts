/** A tag of an image and the digest it points at. */
export interface ImageTag {
  tag: string;
  /** `sha256:...` */
  digest: string;
}

/**
 * The container registry (Artifact Registry). `image` is a reference without tag or digest,
 * e.g. `us-docker.pkg.dev/p/repo/leakage-model`.
 */
export interface ImageRegistry {
  listTags(image: string): Promise<ImageTag[]>;
  /** Points `tag` at `digest`, creating the tag or moving it. */
  addTag(image: string, digest: string, tag: string): Promise<void>;
}
