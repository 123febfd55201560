import type { protos } from '@google-cloud/run';
import type { DeployRevision } from '../../ports/service-platform.js';
import type { RunRevision } from './cloud-run-mapping.js';

type RevisionTemplate = protos.google.cloud.run.v2.IRevisionTemplate;
type EnvVar = protos.google.cloud.run.v2.IEnvVar;

/** The label a deployed revision carries with its color. */
// GCP label keys allow only lowercase letters, digits, '_' and '-': no prefix/ form here.
export const COLOR_LABEL = 'cutover-color';

/** Namespaces the v2 API rejects in labels and annotations of new resources. */
const RESERVED = [
  'run.googleapis.com/',
  'cloud.googleapis.com/',
  'serving.knative.dev/',
  'autoscaling.knative.dev/',
];

function withoutReserved(map: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).filter(([k]) => !RESERVED.some((p) => k.startsWith(p))),
  );
}

/** Copies a field only when the source has it, so unset stays unset. */
function copy<K extends keyof RevisionTemplate & keyof RunRevision>(
  to: RevisionTemplate,
  from: RunRevision,
  key: K,
): void {
  const v = from[key];
  if (v !== null && v !== undefined) (to as Record<string, unknown>)[key] = v;
}

const COPIED = [
  'scaling',
  'vpcAccess',
  'timeout',
  'serviceAccount',
  'containers',
  'volumes',
  'executionEnvironment',
  'encryptionKey',
  'maxInstanceRequestConcurrency',
  'serviceMesh',
  'encryptionKeyRevocationAction',
  'encryptionKeyShutdownDuration',
  'sessionAffinity',
  'nodeSelector',
  'gpuZonalRedundancyDisabled',
] as const;

/** Replaces same-named variables (a secret reference becomes a plain value) and appends new ones. */
export function mergeEnv(
  env: EnvVar[] | null | undefined,
  values: Record<string, string>,
): EnvVar[] {
  const out = (env ?? []).map((e) =>
    e.name && e.name in values ? { name: e.name, value: values[e.name] ?? '' } : e,
  );
  const present = new Set(out.map((e) => e.name));
  for (const [name, value] of Object.entries(values))
    if (!present.has(name)) out.push({ name, value });
  return out;
}

/**
 * The template of the new revision: everything of `from` (containers with env, secrets, resources,
 * ports, probes and mounts; service account; scaling; timeout; concurrency; execution environment;
 * VPC access; volumes; encryption key…), then only the first container's image and the color env
 * changed, named `deploy.revision` and labelled with its color. Labels and annotations in the
 * namespaces the API reserves are dropped (the API re-adds its own).
 */
export function templateFrom(from: RunRevision, deploy: DeployRevision): RevisionTemplate {
  const template: RevisionTemplate = {};
  for (const key of COPIED) copy(template, from, key);
  const [first, ...rest] = structuredClone(from.containers ?? []);
  if (!first)
    throw new Error(`revision ${from.name ?? deploy.from} has no container to deploy from`);
  template.containers = [
    { ...first, image: deploy.image, env: mergeEnv(first.env, deploy.env) },
    ...rest,
  ];
  template.labels = { ...withoutReserved(from.labels), [COLOR_LABEL]: deploy.color };
  template.annotations = withoutReserved(from.annotations);
  template.revision = deploy.revision;
  return template;
}
