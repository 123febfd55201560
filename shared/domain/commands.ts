import type { DeploymentEvent } from '../schemas/events.js';
import type { Color } from '../schemas/config.js';

/** A traffic target to send: always a named revision (never "latest"), with an optional tag. */
export interface TrafficTarget {
  /** Short revision name, e.g. `leakage-00002-abc`. */
  revision: string;
  percent: number;
  tag?: string;
}

/**
 * A new revision built from the SERVICE's template (Terraform's latest desired settings) with only
 * the image, the color env and the color's runtime account changed.
 */
export interface DeployRevision {
  /**
   * The name the record and traffic use for the new revision. The platform may name it itself
   * (Cloud Run does: cutover leaves no name in the template); it then returns the record and
   * traffic with this name replaced by the real one.
   */
  revision: string;
  /** The revision the release starts from (the stable, or the one a template change made); informational. */
  from: string;
  /** Image by digest. */
  image: string;
  /** Env values set on the first container (the color's settings), replacing same-named ones. */
  env: Record<string, string>;
  /** Stamped on the revision as the `cutover-color` label. */
  color: Color;
  /** The color's runtime service account; absent keeps the service template's. */
  serviceAccount?: string;
}

/**
 * What the release state machine asks the outside world to do. The record itself is written with
 * the traffic in the same etag-guarded update; publishes and tags happen after that write.
 */
export type Command =
  | { kind: 'update-service'; traffic: TrafficTarget[]; deploy?: DeployRevision }
  /** Add `tag` to the image `image` refers to (`repo@sha256:…`, or `repo:tag` to be resolved). */
  | { kind: 'tag-image'; image: string; tag: string }
  | { kind: 'publish'; event: DeploymentEvent };
