import type { protos } from '@google-cloud/run';
import type { DeployRevision } from '../../ports/service-platform.js';

type RevisionTemplate = protos.google.cloud.run.v2.IRevisionTemplate;
type EnvVar = protos.google.cloud.run.v2.IEnvVar;

/** The label a deployed revision carries with its color. */
// GCP label keys allow only lowercase letters, digits, '_' and '-': no prefix/ form here.
export const COLOR_LABEL = 'cutover-color';

/**
 * Every field of the service's template a cutover deploy changes, in the google provider's
 * attribute terms (`google_cloud_run_v2_service`). The Terraform module ignores each (README "Who
 * owns what"; test/terraform/ownership.test.ts compares the three). `template.revision` is not
 * here: cutover clears it, so Terraform never re-sends a revision name cutover chose.
 */
export const TEMPLATE_WRITES = [
  'template[0].containers[0].image',
  'template[0].containers[0].env[0]',
  'template[0].labels',
  'template[0].service_account',
] as const;

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

/** Replaces same-named variables in place (a secret reference becomes a plain value), appends new ones. */
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
 * The template of the new revision: the SERVICE's template (Terraform's latest desired settings:
 * resources, scaling, common env, probes, VPC, volumes…) with only the first container's image,
 * the color env and (when the color has one) the runtime service account changed and the color
 * label set. The revision name is
 * cleared, so Cloud Run names the revision and no name cutover chose stays in the template for a
 * later `terraform apply` to re-send (hashicorp/terraform-provider-google#14569: a re-sent name
 * with a new configuration is refused with 409). Labels and annotations in the namespaces the API
 * reserves are dropped (the API re-adds its own).
 */
export function templateFrom(
  service: RevisionTemplate | null | undefined,
  deploy: DeployRevision,
): RevisionTemplate {
  const template: RevisionTemplate = structuredClone(service ?? {});
  const [first, ...rest] = template.containers ?? [];
  if (!first) throw new Error(`the service's template has no container to deploy ${deploy.image}`);
  template.containers = [
    { ...first, image: deploy.image, env: mergeEnv(first.env, deploy.env) },
    ...rest,
  ];
  template.labels = { ...withoutReserved(template.labels), [COLOR_LABEL]: deploy.color };
  template.annotations = withoutReserved(template.annotations);
  if (deploy.serviceAccount) template.serviceAccount = deploy.serviceAccount;
  template.revision = '';
  return template;
}
