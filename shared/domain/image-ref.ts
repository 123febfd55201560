import { CutoverError } from '../errors.js';

/**
 * A container image reference, split into the parts cutover reasons about.
 *
 * - Artifact Registry: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[/…][:TAG][@ALGO:HEX]`.
 * - Container Registry: `[REGION.]gcr.io/PROJECT/IMAGE[/…][:TAG][@ALGO:HEX]` (it publishes to the
 *   same `gcr` topic); `repository` is null.
 * - Any other host with a path of three or more segments (a local registry such as
 *   `localhost:5000/PROJECT/REPO/IMAGE`) is read with the Artifact Registry layout, `location` null.
 *
 * A domain-scoped project (`example.com:my-project`) appears in references as two segments,
 * `example.com/my-project`; `project` holds it joined with `:`.
 */
export interface ImageRef {
  /** Registry host, with its port if any: `us-west1-docker.pkg.dev`, `gcr.io`, `localhost:5000`. */
  host: string;
  project: string;
  /** Artifact Registry repository; null for gcr.io-style references. */
  repository: string | null;
  /** Image path inside the repository (or project, for gcr.io); may contain `/`. */
  image: string;
  /** `us-west1` for AR, `us`/`eu`/`asia` for a regional gcr.io host, else null. */
  location: string | null;
  /** Bare tag (`1.1`), or null. */
  tag: string | null;
  /** `sha256:…`, or null. The hex length is never checked (Google's own doc example is truncated). */
  digest: string | null;
  registry: 'artifact-registry' | 'container-registry';
}

/** A string that is not an image reference cutover can use; `reason` says which part is wrong. */
export class InvalidImageRefError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`not a usable image reference "${ref}": ${reason}`);
  }
}

const AR_HOST = /^([a-z0-9]+(?:-[a-z0-9]+)*)-docker\.pkg\.dev$/;
const GCR_HOST = /^(?:(us|eu|asia)\.)?gcr\.io$/;
const HOST = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+)(?::\d{1,5})?$/i;
/** Docker's path-component grammar. */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** `algo:encoded`; the encoded part may hold `.` so the doc's truncated `sha256:6ec1...` passes. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_.-]+$/;

/** Parses a full image reference; throws InvalidImageRefError naming the wrong part. */
export function parseImageRef(ref: string): ImageRef {
  const fail = (reason: string): never => {
    throw new InvalidImageRefError(ref, reason);
  };
  if (ref.length === 0) fail('empty');
  if (ref.length > 1024) fail('longer than 1024 characters');
  if (/\s/.test(ref)) fail('contains whitespace');

  const at = ref.indexOf('@');
  const named = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? null : ref.slice(at + 1);
  if (digest !== null && !DIGEST.test(digest)) fail(`digest "${digest}" is not ALGORITHM:HEX`);

  const slash = named.lastIndexOf('/');
  if (slash === -1) fail('no registry host (expected HOST/PROJECT/…)');
  const colon = named.indexOf(':', slash);
  const name = colon === -1 ? named : named.slice(0, colon);
  const tag = colon === -1 ? null : named.slice(colon + 1);
  if (tag !== null && !TAG.test(tag)) fail(`tag "${tag}" is not a valid tag`);

  const [host = '', ...path] = name.split('/');
  if (!HOST.test(host) || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    fail(`"${host}" is not a registry host`);
  }
  const bad = path.find((p) => !COMPONENT.test(p));
  if (bad !== undefined)
    fail(`path component "${bad}" must be lowercase letters, digits and . _ -`);

  // A project segment holding a dot is the domain of a domain-scoped project: `example.com/proj`.
  const projectLength = path[0]?.includes('.') ? 2 : 1;
  const project = path.slice(0, projectLength).join(':');
  const rest = path.slice(projectLength);

  const gcr = GCR_HOST.exec(host);
  if (gcr) {
    if (rest.length < 1) fail('expected HOST/PROJECT/IMAGE');
    const location = gcr[1] ?? null;
    return {
      host,
      project,
      repository: null,
      image: rest.join('/'),
      location,
      tag,
      digest,
      registry: 'container-registry',
    };
  }
  if (rest.length < 2) fail('expected HOST/PROJECT/REPOSITORY/IMAGE');
  const location = AR_HOST.exec(host)?.[1] ?? null;
  const [repository = '', ...image] = rest;
  return {
    host,
    project,
    repository,
    image: image.join('/'),
    location,
    tag,
    digest,
    registry: 'artifact-registry',
  };
}

/** The reference without tag or digest (`host/project/repo/image`): what a service config follows. */
export function repositoryOf(ref: string | ImageRef): string {
  const r = typeof ref === 'string' ? parseImageRef(ref) : ref;
  const project = r.project.replace(':', '/');
  return [r.host, project, r.repository, r.image].filter((p) => p !== null).join('/');
}

/** `host/project/repo/image@digest`: the reference cutover deploys, whatever tag it came with. */
export function withDigest(ref: string | ImageRef, digest: string): string {
  if (!DIGEST.test(digest)) throw new InvalidImageRefError(digest, 'digest is not ALGORITHM:HEX');
  return `${repositoryOf(ref)}@${digest}`;
}

/** True when `ref` parses; for schemas that only need a yes or no. */
export function isImageRef(ref: string): boolean {
  try {
    parseImageRef(ref);
    return true;
  } catch {
    return false;
  }
}
