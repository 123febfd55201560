import * as grpc from '@grpc/grpc-js';
import { tagProblem } from '../../shared/domain/run-limits.js';
import { RpcError } from './faults.js';
import { parseRevisionName } from './cloud-run-names.js';
import { LATEST, REVISION } from './cloud-run-types.js';
import type { TrafficTarget, TrafficTargetStatus } from './cloud-run-types.js';

/** The real default: no traffic means 100% to the latest ready revision. */
export const DEFAULT_TRAFFIC: TrafficTarget[] = [{ type: LATEST, percent: 100 }];

const TAG = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function invalid(message: string): RpcError {
  return new RpcError(grpc.status.INVALID_ARGUMENT, message);
}

/**
 * Validates a traffic list against the service's revisions and returns it normalised: revision names
 * short, `type` explicit (a target with a revision and no type is a REVISION target), and an empty
 * list replaced by 100% LATEST.
 *
 * Rules: percents are integers 0..100 summing to 100; a REVISION target names a revision of this
 * service by its short or full name (one that does not exist fails the operation, not the call:
 * see reconcile); a LATEST target names none; tags are unique lowercase DNS
 * labels of at least 3 characters, and a tag with the service id fits in 46 characters (Cloud Run's
 * own error text, docs/google-behaviour.md).
 */
export function normaliseTraffic(
  traffic: TrafficTarget[] | undefined,
  serviceName: string,
): TrafficTarget[] {
  if (!traffic || traffic.length === 0) return DEFAULT_TRAFFIC.map((target) => ({ ...target }));
  const serviceId = serviceName.slice(serviceName.lastIndexOf('/') + 1);
  const tags = new Set<string>();
  let sum = 0;
  const normalised = traffic.map((target, index): TrafficTarget => {
    const where = `traffic[${index}]`;
    const percent = target.percent ?? 0;
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw invalid(`${where}.percent must be an integer between 0 and 100, got ${percent}`);
    sum += percent;
    const type =
      target.type && target.type !== 'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED'
        ? target.type
        : target.revision
          ? REVISION
          : undefined;
    if (!type)
      throw invalid(
        `${where}.type must be TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST or TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION`,
      );
    const out: TrafficTarget = { type };
    if (type === REVISION) {
      if (!target.revision) throw invalid(`${where}.revision is required for a REVISION target`);
      const full = parseRevisionName(target.revision);
      if (full && full.service !== serviceName)
        throw invalid(`${where}.revision ${target.revision} belongs to another service`);
      const revision = full ? full.revision : target.revision;
      out.revision = revision;
    } else if (target.revision) {
      throw invalid(`${where}: a LATEST target must not name a revision`);
    }
    if (percent > 0) out.percent = percent;
    if (target.tag) {
      if (!TAG.test(target.tag))
        throw invalid(
          `${where}.tag "${target.tag}" must be lowercase letters, digits and hyphens, starting with a letter`,
        );
      const problem = tagProblem(target.tag, serviceId);
      if (problem) throw invalid(`spec.traffic.tag: ${problem}`);
      if (tags.has(target.tag)) throw invalid(`${where}.tag "${target.tag}" is used twice`);
      tags.add(target.tag);
      out.tag = target.tag;
    }
    return out;
  });
  if (sum !== 100) throw invalid(`traffic percents must add up to 100, got ${sum}`);
  return normalised;
}

/**
 * What the service reports serving for a traffic list: LATEST stays LATEST (percent, no revision, as
 * the real API reports it), REVISION targets keep their short name, a tagged target gets its URL, and a
 * 0 percent is left out as proto3 does.
 */
export function trafficStatuses(
  traffic: TrafficTarget[],
  tagUrl: (tag: string) => string,
): TrafficTargetStatus[] {
  return traffic.map((target) => {
    const status: TrafficTargetStatus = { type: target.type };
    if (target.revision) status.revision = target.revision;
    if (target.percent) status.percent = target.percent;
    if (target.tag) {
      status.tag = target.tag;
      status.uri = tagUrl(target.tag);
    }
    return status;
  });
}

/** Revisions that traffic sends requests to (percent > 0), LATEST resolved to `latestReady`. */
export function servingRevisions(traffic: TrafficTarget[], latestReady: string | null): string[] {
  return traffic
    .filter((t) => (t.percent ?? 0) > 0)
    .flatMap((t) =>
      t.type === LATEST ? (latestReady ? [latestReady] : []) : t.revision ? [t.revision] : [],
    );
}
