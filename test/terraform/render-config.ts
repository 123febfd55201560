/**
 * The module's rendering of cutover's config (terraform/main.tf, locals `release_settings`,
 * `color_settings`, `cutover_config`), mirrored in TypeScript so a test can validate what the functions
 * will receive. Keep it line for line with the HCL:
 * - release settings lose their null keys, and the nested tags/thresholds/smoke/routes one level down,
 *   thresholds.clearlyBad two;
 * - a route's `body` is JSON text, decoded;
 * - service, image and both colors' settings (inference-log bucket, runtime account) are added;
 * - top-level null values are dropped.
 */

type Json = Record<string, unknown>;

export interface ServiceInput {
  image: string;
  release?: Json | null;
}

export interface ModuleInput {
  project_id: string;
  region: string;
  services: Record<string, ServiceInput>;
  inference_log_env_name: string;
  max_event_age_seconds: number | null;
  /** Values the module takes from its own resources: topic names and the metric name. */
  topics: { deploymentEvents: string; rollbackRequests: string };
  predictionMetric: string;
  webhook: { usernameEnv: string; passwordEnv: string };
}

const COLORS = ['blue', 'green'] as const;

/** `{ for k, v in o : k => v if v != null }`, optionally leaving out keys the caller renders itself. */
function compact(o: unknown, except: readonly string[] = []): Json {
  return Object.fromEntries(
    Object.entries((o ?? {}) as Json).filter(([k, v]) => v !== null && v !== undefined && !except.includes(k)),
  );
}

function isSet(v: unknown): v is Json {
  return v !== null && v !== undefined;
}

/** `"${trim(substr("${var.project_id}-${id}", 0, 46), "-")}-inference-${color}"` */
export function inferenceLogBucket(projectId: string, id: string, color: string): string {
  return `${`${projectId}-${id}`.slice(0, 46).replace(/^-+|-+$/g, '')}-inference-${color}`;
}

function releaseSettings(release: Json | null | undefined): Json {
  const r = release ?? {};
  const out: Json = compact(r, ['tags', 'thresholds', 'smoke']);
  if (isSet(r.tags)) out.tags = compact(r.tags);
  const thresholds = r.thresholds;
  if (isSet(thresholds)) {
    out.thresholds = {
      ...compact(thresholds, ['clearlyBad']),
      ...(isSet(thresholds.clearlyBad) ? { clearlyBad: compact(thresholds.clearlyBad) } : {}),
    };
  }
  const smoke = r.smoke;
  if (isSet(smoke)) {
    const rendered: Json = compact(smoke, ['routes']);
    if (isSet(smoke.routes)) {
      rendered.routes = (smoke.routes as unknown as Json[]).map((route) => ({
        ...compact(route, ['body']),
        ...(isSet(route.body) ? { body: JSON.parse(route.body as unknown as string) as unknown } : {}),
      }));
    }
    out.smoke = rendered;
  }
  return out;
}

/** `"crun-${trim(substr(SERVICE, 0, 19), "-")}-${color}"` (iam.tf), at most 30 characters. */
export function runtimeAccount(projectId: string, id: string, color: string): string {
  return `crun-${id.slice(0, 19).replace(/^-+|-+$/g, '')}-${color}@${projectId}.iam.gserviceaccount.com`;
}

function colorSettings(input: ModuleInput, id: string): Json {
  return Object.fromEntries(
    COLORS.map((color) => [
      color,
      {
        env: { [input.inference_log_env_name]: inferenceLogBucket(input.project_id, id, color) },
        serviceAccount: runtimeAccount(input.project_id, id, color),
      },
    ]),
  );
}

/** What `jsonencode(...)` of the module's `cutover_config` local yields, as a value. */
export function renderConfig(input: ModuleInput): Json {
  const config: Json = {
    // A for-expression over a map visits its keys in lexical order.
    services: Object.entries(input.services)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, s]) => ({
      ...releaseSettings(s.release),
      service: `projects/${input.project_id}/locations/${input.region}/services/${id}`,
      image: s.image,
      colors: colorSettings(input, id),
    })),
    topics: input.topics,
    predictionMetric: input.predictionMetric,
    maxEventAgeSeconds: input.max_event_age_seconds,
    webhook: input.webhook,
  };
  return compact(config);
}
