import type { protos } from '@google-cloud/run';
import { LostRaceError } from '../../errors.js';
import type { ServiceChange, TrafficTarget } from '../../ports/service-platform.js';
import { ANNOTATION_PREFIX, mergeRecord } from '../../schemas/record-codec.js';
import { pinnedTraffic } from './cloud-run-deploy.js';
import { toServiceView, type RunService } from './cloud-run-mapping.js';

type UpdateServiceRequest = protos.google.cloud.run.v2.IUpdateServiceRequest & {
  service: RunService;
};
type RevisionTemplate = protos.google.cloud.run.v2.IRevisionTemplate;

const REVISION_TARGET = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const;

/** A multiset key of traffic targets: revision, percent and tag. */
function trafficKey(traffic: ReadonlyArray<TrafficTarget>): string {
  return traffic
    .map((t) => `${t.revision}|${t.percent}|${t.tag ?? ''}`)
    .sort()
    .join(',');
}

/**
 * The traffic-and-record UpdateService: the record merged into the service's annotations as read
 * (every annotation outside `cutover.dev/` kept as it is), masked to `annotations` and `traffic`.
 * When the traffic asked for is the traffic as written, the mask is `annotations` alone: nothing of
 * the traffic is sent back, so a LATEST target stays LATEST and a split a person set between the
 * read and the write is not put back. No template is ever sent (docs/google-behaviour.md: a
 * re-sent template that names a revision is refused with 409 even under a mask, #14259).
 */
export function recordRequest(
  current: RunService,
  etag: string,
  change: Omit<ServiceChange, 'deploy'>,
): UpdateServiceRequest {
  const annotations = mergeRecord(current.annotations, change.record);
  const unchanged = trafficKey(toServiceView(current).written) === trafficKey(change.traffic);
  if (unchanged)
    return {
      service: { name: current.name ?? null, etag, annotations },
      updateMask: { paths: ['annotations'] },
    };
  return {
    service: {
      name: current.name ?? null,
      etag,
      annotations,
      traffic: change.traffic.map((t) => ({
        type: REVISION_TARGET,
        revision: t.revision,
        percent: t.percent,
        tag: t.tag ?? '',
      })),
    },
    updateMask: { paths: ['traffic', 'annotations'] },
  };
}

/**
 * The deploy's UpdateService, masked to `template` (whole), `traffic` (LATEST pinned, see
 * pinnedTraffic) and `annotations` (the record, so a tick between this write and the next sees the
 * release provisioning: shared/usecases/deploy-in-flight.ts). The whole template, not the sub-fields templateFrom changes: the new revision
 * must be exactly the template cutover built from the one it read (a sub-field mask would let the
 * server merge cutover's changes into a template it never saw), and Cloud Run does not document
 * how a mask ending in a repeated field such as `template.containers` applies (field_mask.proto's
 * default appends).
 */
export function deployRequest(
  current: RunService,
  etag: string,
  template: RevisionTemplate,
  change: Pick<ServiceChange, 'traffic' | 'record'> & { deployed: string },
): UpdateServiceRequest {
  // The traffic decided for the revisions that exist already (the new one is not made yet, and is
  // named only by the write after this one): a superseded candidate's share goes back to the
  // stable in this write, not one write later. With nothing left (a container rollback names only
  // the new revision), the traffic as read with LATEST pinned.
  const existing = change.traffic.filter((t) => t.revision !== change.deployed);
  const traffic = existing.length
    ? existing.map((t) => ({
        type: REVISION_TARGET,
        revision: t.revision,
        percent: t.percent,
        tag: t.tag ?? '',
      }))
    : pinnedTraffic(current);
  return {
    service: {
      name: current.name ?? null,
      etag,
      template,
      traffic,
      annotations: mergeRecord(current.annotations, change.record),
    },
    updateMask: { paths: ['template', 'traffic', 'annotations'] },
  };
}

const owned = (annotations: Record<string, string> | null | undefined): string =>
  JSON.stringify(
    Object.entries(annotations ?? {})
      .filter(([k]) => k.startsWith(ANNOTATION_PREFIX))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/**
 * Throws LostRaceError unless the `cutover.dev/` annotations read after a write are the ones it
 * sent: another writer's record landed over this one (etag did not stop it), and the decision must
 * be made again on what is there rather than carried on.
 */
export function confirmLanded(
  service: string,
  sent: Record<string, string>,
  landed: Record<string, string> | null | undefined,
): void {
  if (owned(sent) !== owned(landed)) throw new LostRaceError(service);
}
