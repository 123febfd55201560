import { createHash, randomBytes, randomInt } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';

/** The parts of `projects/P/locations/L/services/S`. */
export interface ServiceName {
  project: string;
  location: string;
  service: string;
}

const SERVICE_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/;
const REVISION_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)\/revisions\/([^/]+)$/;
const SERVICE_ID = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;

export function parseServiceName(name: string | undefined): ServiceName {
  const match = SERVICE_NAME.exec(name ?? '');
  if (!match)
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `invalid service name "${name ?? ''}"; expected projects/P/locations/L/services/S`,
    );
  return { project: match[1]!, location: match[2]!, service: match[3]! };
}

/** The service and short revision id of a full revision name, or null when `name` is not one. */
export function parseRevisionName(name: string): { service: string; revision: string } | null {
  const match = REVISION_NAME.exec(name);
  if (!match) return null;
  return {
    service: `projects/${match[1]}/locations/${match[2]}/services/${match[3]}`,
    revision: match[4]!,
  };
}

export function parseParent(parent: string | undefined): { project: string; location: string } {
  const match = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(parent ?? '');
  if (!match)
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `invalid parent "${parent ?? ''}"; expected projects/P/locations/L`,
    );
  return { project: match[1]!, location: match[2]! };
}

export function validateServiceId(id: string | undefined): string {
  if (!id || !SERVICE_ID.test(id)) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `service_id "${id ?? ''}" must be 1-49 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen`,
    );
  }
  return id;
}

export function revisionFullName(service: string, revision: string): string {
  return `${service}/revisions/${revision}`;
}

/** A generated revision id: `S-0000N-xyz` with three random lowercase letters. */
export function generatedRevisionId(service: string, counter: number): string {
  const letters = Array.from({ length: 3 }, () => String.fromCharCode(97 + randomInt(26))).join('');
  return `${service}-${String(counter).padStart(5, '0')}-${letters}`;
}

/** A fresh etag in Cloud Run's shape: base64 inside literal double quotes. */
export function newEtag(): string {
  return `"C${randomBytes(18).toString('base64url')}"`;
}

/** `us-central1` → `uc`, as in `*-uc.a.run.app`. */
function regionCode(location: string): string {
  const [area = 'u', direction = 'c'] = location.split('-');
  return `${area[0] ?? 'u'}${direction[0] ?? 'c'}`;
}

/** The default URL scheme: `https://[TAG---]S-<hash>-<region code>.a.run.app`. */
export function defaultUrl(serviceName: string, tag: string | null): string {
  const { project, location, service } = parseServiceName(serviceName);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(`${project}/${location}`).digest().subarray(0, 10);
  const hash = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
  return `https://${tag ? `${tag}---` : ''}${service}-${hash}-${regionCode(location)}.a.run.app`;
}
