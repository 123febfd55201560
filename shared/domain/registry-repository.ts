import type { ImageRef } from './image-ref.js';

/** Where an image lives in Artifact Registry: a repository and the package (image path) in it. */
export interface RegistryPackage {
  project: string;
  location: string;
  repository: string;
  /** The image path inside the repository; may contain `/`. */
  image: string;
}

/**
 * Artifact Registry's `gcr.io` repositories (cloud.google.com/artifact-registry/docs/transition/
 * gcr-repositories, "gcr.io domain support"): each Container Registry host is a repository named
 * after the host, in the multi-region the host stood for.
 */
const GCR_REPOSITORIES: Record<string, { location: string; repository: string }> = {
  'gcr.io': { location: 'us', repository: 'gcr.io' },
  'us.gcr.io': { location: 'us', repository: 'us.gcr.io' },
  'eu.gcr.io': { location: 'europe', repository: 'eu.gcr.io' },
  'asia.gcr.io': { location: 'asia', repository: 'asia.gcr.io' },
};

/**
 * The Artifact Registry package an image reference names, or null when the host is neither
 * `LOCATION-docker.pkg.dev` nor a `gcr.io` host. `gcr.io/PROJECT/IMAGE` is package IMAGE of
 * repository `gcr.io` in location `us`; `eu.gcr.io/…` of `eu.gcr.io` in `europe`; and so on.
 */
export function registryPackage(ref: ImageRef): RegistryPackage | null {
  if (ref.registry === 'container-registry') {
    const gcr = GCR_REPOSITORIES[ref.host];
    return gcr ? { project: ref.project, ...gcr, image: ref.image } : null;
  }
  if (!ref.location || !ref.repository) return null;
  return {
    project: ref.project,
    location: ref.location,
    repository: ref.repository,
    image: ref.image,
  };
}
