import type { Release, ServiceRecord } from '../schemas/release.js';
import type { MachineContext, ReleaseInput, Transition } from './release-input.js';
import { activeRelease, ignore } from './release-input.js';
import { candidateRevisionName, colorAccount } from './release-start.js';
import { otherColor, stepSplit } from './traffic.js';

type TemplateChange = Extract<ReleaseInput, { type: 'template-change' }>;

/** What the template-change rule needs to know of a service, as read. */
export interface TemplateState {
  /** The revision made from the service's current template (short name). */
  latestCreatedRevision: string | null;
  latestReadyRevision: string | null;
  /** Serving traffic by revision. */
  traffic: ReadonlyArray<{ revision: string; percent: number }>;
}

/**
 * The revision a template change (a `terraform apply` of cpu, memory, env, scaling…) made, when
 * there is one to release: the service's latest created revision is ready, serves 0 % and is
 * neither the stable nor the last release's candidate, no release is active, and the stable
 * serves. Traffic is pinned to named revisions, so such a revision would never serve by itself.
 *
 * A stable that serves nothing means the record is ahead of the traffic: a container rollback's
 * deploy landed with its record (the new stable under the name cutover asked for), and the write
 * that names the revision as Cloud Run named it and moves the traffic onto it is still to come.
 * The revision that deploy made is cutover's own, not a template change.
 *
 * Distinct from the out-of-band rule (a revision cutover did not create TAKING traffic ends the
 * active release): this one only ever sees a revision at 0 %, and only between releases.
 */
export function templateRevision(record: ServiceRecord, service: TemplateState): string | null {
  const created = service.latestCreatedRevision;
  if (!created || created !== service.latestReadyRevision) return null;
  if (activeRelease(record)) return null;
  if (!service.traffic.some((t) => t.revision === record.stable.revision && t.percent > 0))
    return null;
  const known = [record.stable.revision, record.release?.candidate.revision];
  if (known.includes(created)) return null;
  const serving = service.traffic
    .filter((t) => t.revision === created)
    .reduce((sum, t) => sum + t.percent, 0);
  return serving === 0 ? created : null;
}

/**
 * Releases a template change like an image push: a candidate in the other color from the
 * service's template (Terraform's settings) running the STABLE image, at 0 %; then smoke test,
 * steps, judgement and rollback as for any release. The revision Terraform made never serves.
 */
export function startTemplateRelease(
  record: ServiceRecord,
  input: TemplateChange,
  ctx: MachineContext,
): Transition {
  const active = activeRelease(record);
  if (active)
    return ignore(record, `template change ${input.revision} waits for release ${active.id}`);
  const service = ctx.config.service;
  const color = otherColor(record.stable.color);
  // Same image, so the same version (and version tag) as the stable.
  const candidate = {
    revision: candidateRevisionName(service, input.releaseId),
    image: record.stable.image,
    color,
    ...(record.stable.version ? { version: record.stable.version } : {}),
  };
  const release: Release = {
    id: input.releaseId,
    phase: 'provisioning',
    candidate,
    tag: input.revision,
    startedAt: ctx.now.toISOString(),
  };
  return {
    record: { ...record, release },
    commands: [
      {
        kind: 'update-service',
        traffic: stepSplit(record.stable, candidate, 0),
        deploy: {
          revision: candidate.revision,
          from: input.revision,
          image: record.stable.image,
          env: ctx.config.colors[color].env,
          color,
          ...colorAccount(ctx.config, color),
        },
      },
    ],
    ignored: null,
    summary: `started release ${input.releaseId} of the template change ${input.revision} (${color}, stable image)`,
  };
}
