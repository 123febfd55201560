import type { DeployRevision, TrafficTarget } from '../domain/commands.js';
import type { Ingress } from '../schemas/network.js';
import type { ServiceRecord } from '../schemas/release.js';

export type { DeployRevision, TrafficTarget } from '../domain/commands.js';

/** A traffic target as the service reports serving it (`trafficStatuses`). */
export interface ServedTarget {
  revision: string;
  percent: number;
  tag: string | null;
  /** The tag's own URL, when the target has a tag. */
  url: string | null;
}

/** What cutover needs to know of a service, read in one call. */
export interface ServiceView {
  /** Full name `projects/P/locations/L/services/S`. */
  name: string;
  /** Sent back unchanged on the next update; a mismatch is a ConflictError. */
  etag: string;
  /** The `cutover.dev/` annotations, parsed; null when cutover never wrote any. */
  record: ServiceRecord | null;
  /** Serving traffic (`trafficStatuses`), LATEST resolved to a revision, short names. */
  traffic: ServedTarget[];
  /**
   * Traffic as last written (the spec), LATEST resolved to a revision. While a write reconciles it
   * runs ahead of `traffic`; a write that changes only the record sends it back unchanged.
   */
  written: TrafficTarget[];
  latestReadyRevision: string | null;
  /**
   * The revision made from the service's current template (short name), ready or not; null when
   * unknown. One cutover did not make is a template change (Terraform) or an out-of-band deploy.
   */
  latestCreatedRevision: string | null;
  /** The service's main URL. */
  uri: string | null;
  /** The service's ingress setting; absent means `all`. */
  ingress?: Ingress;
}

export interface RevisionInfo {
  name: string;
  /** The first container's image as deployed. */
  image: string;
  state: 'ready' | 'failed' | 'pending';
  detail: string;
}

/** One UpdateService: the full traffic, the record, and optionally a new revision. */
export interface ServiceChange {
  traffic: TrafficTarget[];
  record: ServiceRecord;
  deploy?: DeployRevision;
}

export interface ServicePlatform {
  get(service: string): Promise<ServiceView>;
  revision(service: string, revision: string): Promise<RevisionInfo | null>;
  /**
   * Applies the change guarded by `view.etag` and waits for the operation. Rejects with
   * ConflictError on a stale etag and DeployFailedError when the new revision fails. A deploy's
   * revision may be named by the platform: the returned view (record, traffic) and the
   * DeployFailedError carry the real name in place of `deploy.revision`.
   */
  update(view: ServiceView, change: ServiceChange): Promise<ServiceView>;
}
