import type { RevisionMessage, ServiceMessage } from './cloud-run-types.js';

/** What the readiness hook is told about a new revision. */
export interface RevisionInfoForHook {
  /** Full name `projects/P/locations/L/services/S/revisions/R`. */
  name: string;
  /** Short revision id `S-00002-abc`. */
  revision: string;
  /** Full service name. */
  service: string;
  /** The first container's image, as deployed (a tag or `@sha256:` reference). */
  image: string;
  /** The whole revision as the API reports it (containers with env, service account, scaling…). */
  message: RevisionMessage;
}

export type RevisionStartResult = { ready: true } | { ready: false; message: string };

/**
 * Decides whether a new revision becomes ready (the local platform starts a process and waits for its
 * health check). While it is pending the write's operation is not done and the service reconciles; a
 * rejected promise counts as `{ ready: false }` with the error's message.
 */
export type RevisionStarter = (revision: RevisionInfoForHook) => Promise<RevisionStartResult>;

/** The URL of a service (`tag` null) or of one of its tags; `service` is the full name. */
export type UrlResolver = (service: string, tag: string | null) => string;

/** One target the service serves, as the local router needs it. */
export interface ServingTarget {
  /** Short revision id; a LATEST target is resolved to the latest ready revision. */
  revision: string;
  percent: number;
  tag: string | null;
  /** The tag's URL when tagged. */
  uri: string | null;
}

/** A service after a completed write (or its deletion), for listeners such as the local router. */
export interface ServiceSnapshot {
  name: string;
  deleted: boolean;
  uri: string | null;
  /** Short id of the latest ready revision, or null when none is ready. */
  latestReadyRevision: string | null;
  /** From `trafficStatuses`, 0% tagged targets included; a LATEST target with no ready revision is left out. */
  serving: ServingTarget[];
  /** A copy of the Service as the API returns it. */
  service: ServiceMessage;
}

export type ServiceListener = (snapshot: ServiceSnapshot) => void;

export const readyAtOnce: RevisionStarter = () => Promise.resolve({ ready: true });
