import * as grpc from '@grpc/grpc-js';
import { parseImageRef as parseReference } from '../../shared/domain/image-ref.js';
import { registryPackage, type RegistryPackage } from '../../shared/domain/registry-repository.js';
import { RpcError } from './faults.js';

/** A Docker image in Artifact Registry, known by its reference `LOCATION-docker.pkg.dev/P/R/IMAGE` or `gcr.io/P/IMAGE`. */
export interface ImageCoordinates {
  host: string;
  project: string;
  location: string;
  repository: string;
  /** The image path inside the repository; may contain `/`. */
  image: string;
}

/**
 * Parses an image reference without tag or digest: `LOCATION-docker.pkg.dev/P/R/IMAGE[/…]`, or a
 * `gcr.io` host (`gcr.io/P/IMAGE`), which Artifact Registry serves from the repository named after
 * the host (`gcr.io` in `us`, `eu.gcr.io` in `europe`…; docs/google-behaviour.md).
 */
export function parseImageRef(ref: string): ImageCoordinates {
  let pkg: RegistryPackage | null = null;
  try {
    const parsed = parseReference(ref);
    if (!parsed.tag && !parsed.digest) pkg = registryPackage(parsed);
  } catch {
    pkg = null;
  }
  if (!pkg)
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `image reference "${ref}" must be LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE or gcr.io/PROJECT/IMAGE without tag or digest`,
    );
  return { host: ref.slice(0, ref.indexOf('/')), ...pkg };
}

/** The reference again: gcr.io hosts have no repository segment (the host is the repository). */
export function imageRef(c: ImageCoordinates): string {
  const project = c.project.replace(':', '/');
  return c.host.endsWith('gcr.io')
    ? `${c.host}/${project}/${c.image}`
    : `${c.host}/${project}/${c.repository}/${c.image}`;
}

export function repositoryName(c: ImageCoordinates): string {
  return `projects/${c.project}/locations/${c.location}/repositories/${c.repository}`;
}

/** A package id as it appears in resource names: slashes escaped as `%2F`. */
export function escapePackage(image: string): string {
  return image.replace(/\//g, '%2F');
}

export function unescapePackage(id: string): string {
  return decodeURIComponent(id);
}

export function packageName(c: ImageCoordinates): string {
  return `${repositoryName(c)}/packages/${escapePackage(c.image)}`;
}

const REPOSITORY = /^projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)$/;
const PACKAGE_CHILD =
  /^(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+)\/packages\/(.+?)(?:\/(tags|versions)\/([^/]+))?$/;
const DOCKER_IMAGE =
  /^(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+)\/dockerImages\/(.+)@(sha256:[^/]+)$/;

export function parseRepositoryName(name: string | undefined): {
  project: string;
  location: string;
  repository: string;
} {
  const match = REPOSITORY.exec(name ?? '');
  if (!match) throw invalidName(name, 'projects/P/locations/L/repositories/R');
  return { project: match[1]!, location: match[2]!, repository: match[3]! };
}

/**
 * Splits `…/packages/PKG[/tags/T | /versions/V]`; a package with an unescaped `/` is accepted too.
 * The package comes back unescaped (the image path).
 */
export function parsePackageChild(
  name: string | undefined,
  kind: 'tags' | 'versions' | null,
): { repository: string; image: string; id: string | null } {
  const match = PACKAGE_CHILD.exec(name ?? '');
  if (!match || (match[3] ?? null) !== kind) {
    throw invalidName(
      name,
      `projects/P/locations/L/repositories/R/packages/PKG${kind ? `/${kind}/ID` : ''}`,
    );
  }
  return {
    repository: match[1]!,
    image: unescapePackage(match[2]!),
    id: match[4] ? decodeURIComponent(match[4]) : null,
  };
}

export function parseDockerImageName(name: string | undefined): {
  repository: string;
  image: string;
  digest: string;
} {
  const match = DOCKER_IMAGE.exec(name ?? '');
  if (!match)
    throw invalidName(
      name,
      'projects/P/locations/L/repositories/R/dockerImages/IMAGE@sha256:DIGEST',
    );
  return { repository: match[1]!, image: unescapePackage(match[2]!), digest: match[3]! };
}

function invalidName(name: string | undefined, expected: string): RpcError {
  return new RpcError(
    grpc.status.INVALID_ARGUMENT,
    `invalid resource name "${name ?? ''}"; expected ${expected}`,
  );
}

/** Docker's tag grammar. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
