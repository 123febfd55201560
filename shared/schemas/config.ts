import { z } from 'zod';
import { MAX_RELEASABLE_SERVICE_ID, MAX_TAG_AND_SERVICE } from '../domain/run-limits.js';
import { Ingress, ingressProblem, VpcEgress } from './network.js';
import { ShadowConfig } from './shadow-config.js';
import { DEFAULT_VERSION_TEMPLATE, templateProblem } from '../domain/version-tag.js';
import { RESERVED_TAG_PREFIX, targetsReservedPrefix } from '../domain/rollback-tag.js';
import { MetricsConfig } from './metrics-config.js';

/**
 * `projects/P/locations/L/services/S`: the only form of a service name cutover accepts. The id must
 * leave room for cutover's color tags: Cloud Run refuses a tag and service name longer than 46
 * characters together, so with `green` the id may have at most 41.
 */
export const ServiceName = z
  .string()
  .regex(
    /^projects\/[a-z0-9-]+\/locations\/[a-z0-9-]+\/services\/[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/,
    'must be a full Cloud Run service name: projects/PROJECT/locations/REGION/services/SERVICE',
  )
  .refine((name) => name.slice(name.lastIndexOf('/') + 1).length <= MAX_RELEASABLE_SERVICE_ID, {
    error: (issue) => {
      const id = String(issue.input).slice(String(issue.input).lastIndexOf('/') + 1);
      return `service id "${id}" has ${id.length} characters; at most ${MAX_RELEASABLE_SERVICE_ID} fit: Cloud Run allows a traffic tag and the service name ${MAX_TAG_AND_SERVICE} characters together, and cutover tags revisions "blue" and "green"`;
    },
  });
export type ServiceName = z.infer<typeof ServiceName>;

const Seconds = z.number().int('must be whole seconds').nonnegative('must be 0 or more');
const Ratio = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

export const Color = z.enum(['blue', 'green']);
export type Color = z.infer<typeof Color>;

/** The "clearly bad" margins: a step passes only on evidence that green is short of them. */
export const ClearlyBad = z
  .object({
    /** Green 5xx rate at or above this is clearly bad. */
    max5xxRate: Ratio.default(0.03),
    /** Green p95 at or above blue p95 × (1 + this) + p95SlackMs is clearly bad. */
    p95Increase: z.number().min(0, 'must be 0 or more').default(0.25),
    /** Mean prediction this fraction or more away from blue's is clearly bad. */
    predictionDrift: z.number().min(0, 'must be 0 or more').default(0.25),
  })
  .strict();
export type ClearlyBad = z.infer<typeof ClearlyBad>;

const Alpha = z
  .number()
  .gt(0, 'must be between 0 and 0.5 (exclusive)')
  .lt(0.5, 'must be between 0 and 0.5 (exclusive)');

export const Thresholds = z
  .object({
    /** Evidence that green's 5xx rate is above this fails the step. */
    max5xxRate: Ratio.default(0.02),
    /** Green (and, for latency, blue) requests needed before the 5xx and p95 checks can pass. */
    minRequests: z.number().int().positive('must be at least 1').default(50),
    /** Predictions needed on each side before the drift check is judged. */
    minPredictions: z.number().int().min(2, 'must be at least 2').default(30),
    /** Evidence that green p95 exceeds blue p95 by this fraction... */
    p95Tolerance: z.number().min(0, 'must be 0 or more').default(0.1),
    /** ...plus this many milliseconds fails the step (so a 2 ms baseline does not fail on noise). */
    p95SlackMs: z.number().min(0, 'must be 0 or more').default(5),
    /** Evidence that green's mean prediction is this fraction or more from blue's fails the step. */
    maxPredictionDrift: z.number().min(0, 'must be 0 or more').default(0.2),
    /** Pass only on evidence that green is short of these. */
    clearlyBad: ClearlyBad.default(ClearlyBad.parse({})),
    /** Chance, per check and release, that a green exactly at a limit fails (over all looks of all steps). */
    failAlpha: Alpha.default(0.05),
    /** Chance, per check and step before the last, that a clearly bad green passes (over all looks). */
    passAlpha: Alpha.default(0.1),
    /**
     * Chance, per check, that a clearly bad green passes the last step: is promoted. The judge
     * pools every step's evidence, so by the last step a stricter level costs little time.
     */
    promoteAlpha: Alpha.default(0.01),
    /** Consecutive failing verdicts of the same check that roll back. */
    failureLimit: z.number().int().positive('must be at least 1').default(1),
    /** Evidence of a 5xx rate above max5xxRate × this rolls back at once. */
    criticalMultiple: z.number().min(1, 'must be 1 or more').default(4),
    /** A step projected (at its traffic so far) to need longer than this to decide is stalled. */
    maxInconclusiveSeconds: Seconds.default(3600),
  })
  .strict()
  .refine((t) => t.clearlyBad.max5xxRate > t.max5xxRate, {
    message: 'clearlyBad.max5xxRate must be above max5xxRate',
    path: ['clearlyBad', 'max5xxRate'],
  })
  .refine((t) => t.clearlyBad.p95Increase > t.p95Tolerance, {
    message: 'clearlyBad.p95Increase must be above p95Tolerance',
    path: ['clearlyBad', 'p95Increase'],
  })
  .refine((t) => t.clearlyBad.predictionDrift > t.maxPredictionDrift, {
    message: 'clearlyBad.predictionDrift must be above maxPredictionDrift',
    path: ['clearlyBad', 'predictionDrift'],
  });
export type Thresholds = z.infer<typeof Thresholds>;

export const SmokeRoute = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    path: z.string().startsWith('/', 'must start with /'),
    body: z.unknown().optional(),
    expectStatus: z.number().int().min(100).max(599).default(200),
    samples: z.number().int().positive('must be at least 1').max(100).default(3),
  })
  .strict();
export type SmokeRoute = z.infer<typeof SmokeRoute>;

export const SmokeConfig = z
  .object({
    routes: z
      .array(SmokeRoute)
      .default([{ method: 'GET', path: '/', expectStatus: 200, samples: 3 }]),
    /** Green's median latency may be at most blue's × this + slack. */
    maxLatencyRatio: z.number().min(1, 'must be 1 or more').default(2),
    latencySlackMs: z.number().min(0).default(50),
    /** Send a Google ID token for the service URL (services that require authentication). */
    authenticate: z.boolean().default(false),
    /**
     * Where the probes go: each revision's tag URL, or its versioned path under the endpoint
     * (`/api/v2/…`, through the load balancer). A revision without its own version falls back to its tag URL.
     */
    via: z.enum(['tag-url', 'versioned-path']).default('tag-url'),
    /** Require the candidate revision to show up in Cloud Monitoring before traffic moves. */
    requireMonitoring: z.boolean().default(true),
    timeoutSeconds: z.number().positive().default(10),
  })
  .strict();
export type SmokeConfig = z.infer<typeof SmokeConfig>;

const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

export const ColorSettings = z
  .object({
    /** Env values that differ per color, e.g. the bucket that holds this color's inference logs. */
    env: z.record(EnvName, z.string()).default({}),
    /**
     * The runtime service account this color's revisions run as, so each color can be the only
     * writer of its own storage; unset keeps the service template's account.
     */
    serviceAccount: z.email().optional(),
  })
  .strict();
export type ColorSettings = z.infer<typeof ColorSettings>;

const TagPattern = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9_.*:@~-]+$/, 'may hold only tag characters and * wildcards');

/** Where the notify function posts a service's `release.*` events (webhook URLs come from env). */
export const NotifyConfig = z
  .object({
    /** Env var holding a Slack incoming webhook URL (Terraform maps it from Secret Manager). */
    slackWebhookEnv: EnvName.optional(),
    /** Env var holding a Google Chat space webhook URL. */
    chatWebhookEnv: EnvName.optional(),
    /** Event types to post (default: every release.* event); e.g. ["release.promoted"]. */
    events: z
      .array(z.string().regex(/^release\.[a-z-]+$/, 'must be a release.* event type'))
      .optional(),
  })
  .strict();
export type NotifyConfig = z.infer<typeof NotifyConfig>;

const VersionTemplate = z.string().superRefine((template, ctx) => {
  const problem = templateProblem(template);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where the versioned API is served: `${url}${pathPrefix}/v2/…` reaches the revision of v2. */
export const Endpoint = z
  .object({
    /**
     * The public base URL (the load balancer's `https://DOMAIN`). Unset: the service's own URL,
     * which serves versioned paths only locally (the local router plays the load balancer).
     */
    url: z.url({ protocol: /^https?$/ }).optional(),
    pathPrefix: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be empty or start with / and not end with /')
      .default('/api'),
  })
  .strict();
export type Endpoint = z.infer<typeof Endpoint>;

export const ServiceConfig = z
  .object({
    service: ServiceName,
    /**
     * Image it follows, without tag or digest: `LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE`, or
     * `gcr.io/PROJECT/IMAGE` (Artifact Registry's gcr.io repositories; also us., eu., asia.gcr.io).
     */
    image: z
      .string()
      .regex(
        /^[a-z0-9.-]+(?::\d+)?\/[^@:\s]+$/,
        'must be an image reference without tag or digest',
      ),
    tags: z
      .object({
        /** A push whose tag matches one of these starts a release (never a `rollback-` tag). */
        include: z
          .array(
            TagPattern.refine((p) => !targetsReservedPrefix(p), {
              error: (issue) =>
                `include pattern "${String(issue.input)}" names ${RESERVED_TAG_PREFIX}, the prefix of cutover's own rollback tags (put on the previous stable at each promotion); a push of such a tag never starts a release, so this pattern could never release anything: remove it, or tag the images to release differently`,
            }),
          )
          .min(1, 'must name at least one pattern')
          .default(['*']),
        /** Tags that never start a release; rollback-* and signature tags by default. */
        ignore: z.array(TagPattern).default(['rollback-*', '*.sig', '*.att', 'sha256-*']),
      })
      .strict()
      .default({ include: ['*'], ignore: ['rollback-*', '*.sig', '*.att', 'sha256-*'] }),
    steps: z
      .array(z.number().int('must be whole percents').min(1, 'must be at least 1').max(100))
      .min(1)
      .default([10, 25, 50, 100])
      .refine((s) => s.every((p, i) => i === 0 || p > (s[i - 1] ?? 0)) && s.at(-1) === 100, {
        message: 'steps must rise and end at 100',
      }),
    /**
     * Seconds of the step's own evidence (counted once its data is visible, monitoringLagSeconds
     * after the step began) before a passing step may advance. The judge pools every step's
     * evidence, so the bake is the soak at each share, not the sample a pass needs: 120 s keeps
     * a well-trafficked release at about 4 × (lag + bake) ≈ 20 min.
     */
    bakeSeconds: Seconds.default(120),
    /**
     * Cloud Monitoring data lags; the newest this many seconds of a window are not judged. 180 is
     * Google's figure for the Cloud Run metrics the judge reads (`run.googleapis.com/request_count`
     * and `request_latencies`: "After sampling, data is not visible for up to 180 seconds"); the
     * prediction metric is user-defined, visible sooner (docs/google-behaviour.md). Raise it for a
     * metrics source that lags more: a window that ends too late only judges less data.
     */
    monitoringLagSeconds: Seconds.default(180),
    thresholds: Thresholds.default(Thresholds.parse({})),
    smoke: SmokeConfig.default(SmokeConfig.parse({})),
    /** The service's ingress setting; an internal one needs `functionsVpcEgress`. */
    ingress: Ingress.default('all'),
    /** The shadow replay of the stable's inference logs during the smoke phase. */
    shadow: ShadowConfig.default(ShadowConfig.parse({})),
    /**
     * The version name a pushed tag gives its candidate (`v{major}`: 2.0.0 → v2; also {minor},
     * {patch}), reachable as `/api/v2/…` and tagged `api-v2` on Cloud Run; null turns it off.
     */
    versionTag: VersionTemplate.nullable().default(DEFAULT_VERSION_TEMPLATE),
    endpoint: Endpoint.default({ pathPrefix: '/api' }),
    /**
     * A release with no progress (no phase change, no verdict) for this long ends `aborted` with all
     * traffic on the stable. A paused release is exempt.
     */
    progressDeadlineSeconds: Seconds.default(3600),
    /** Where step metrics come from: Cloud Monitoring (default) or a Prometheus API (PromQL). */
    metrics: MetricsConfig.default({ source: 'cloud-monitoring' }),
    /** What a push during an active release does. */
    onPushDuringRelease: z.enum(['supersede', 'reject']).default('supersede'),
    incidents: z
      .object({
        /**
         * An open incident that names no revision (its policy does not group by revision):
         * `rollback` (conservative) or `ignore`. Incidents naming a revision always act on it.
         */
        withoutRevision: z.enum(['rollback', 'ignore']).default('rollback'),
      })
      .strict()
      .default({ withoutRevision: 'rollback' }),
    colors: z
      .object({
        blue: ColorSettings.default({ env: {} }),
        green: ColorSettings.default({ env: {} }),
      })
      .strict()
      .default({ blue: { env: {} }, green: { env: {} } }),
    /** Slack / Google Chat notifications of this service's releases (the notify function). */
    notify: NotifyConfig.optional(),
  })
  .strict();
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const Config = z
  .object({
    services: z
      .array(ServiceConfig)
      .min(1, 'must configure at least one service')
      .refine((s) => new Set(s.map((x) => x.service)).size === s.length, {
        message: 'each service may be configured once',
      }),
    topics: z
      .object({
        deploymentEvents: z.string().min(1).default('cutover-deployment-events'),
        rollbackRequests: z.string().min(1).default('cutover-rollback-requests'),
      })
      .strict()
      .default({
        deploymentEvents: 'cutover-deployment-events',
        rollbackRequests: 'cutover-rollback-requests',
      }),
    /** Direct VPC egress of cutover's functions (as Terraform sets it); needed for internal ingress. */
    functionsVpcEgress: VpcEgress.optional(),
    /** Log-based distribution metric of the model's predictions, labelled by revision. */
    predictionMetric: z.string().min(1).default('logging.googleapis.com/user/cutover-prediction'),
    /** The release page (`cutover ui` or its function), linked from notifications. */
    releasePageUrl: z.url('must be a URL').optional(),
    /** Events older than this are acknowledged and logged, not acted on. */
    maxEventAgeSeconds: Seconds.default(3600),
    /** Names of the env vars that hold the alert webhook's Basic auth credentials. */
    webhook: z
      .object({
        usernameEnv: EnvName.default('CUTOVER_WEBHOOK_USERNAME'),
        passwordEnv: EnvName.default('CUTOVER_WEBHOOK_PASSWORD'),
      })
      .strict()
      .default({
        usernameEnv: 'CUTOVER_WEBHOOK_USERNAME',
        passwordEnv: 'CUTOVER_WEBHOOK_PASSWORD',
      }),
  })
  .strict()
  .superRefine((config, ctx) => {
    config.services.forEach((service, index) => {
      const problem = ingressProblem(service.ingress, config.functionsVpcEgress);
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['services', index, 'ingress'], message: problem });
    });
  });
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

/** The configured entry for a service, by full name. */
export function serviceConfig(config: Config, service: string): ServiceConfig | undefined {
  return config.services.find((s) => s.service === service);
}
