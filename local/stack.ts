import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MetricServiceClient } from '@google-cloud/monitoring';
import { PubSub } from '@google-cloud/pubsub';
import { ServicesClient } from '@google-cloud/run';
import { emulatorClientOptions, parseEndpoint } from '../shared/adapters/gcp/client-options.js';
import { PubSubBus } from '../shared/adapters/gcp/pubsub-bus.js';
import { jsonLogger } from '../shared/adapters/json-logger.js';
import { parseConfig } from '../shared/config/load.js';
import { splitServiceName } from '../shared/domain/service-ref.js';
import type { Config } from '../shared/schemas/config.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { TERRAFORM_ALERT_DEFAULTS } from './alert-policies.js';
import { webhookNotifier } from './alert-webhook.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { CONFIG_FILE, writeEndpoints, type StackEndpoints } from './endpoints.js';
import { hostFunctions } from './functions-host.js';
import { createInitialService } from './initial-service.js';
import { LoadGenerator } from './load.js';
import { LOCAL_TIMINGS, localConfig } from './local-config.js';
import { modelRecipe, type ModelKnobs } from './model-image.js';
import { apiBaseOf } from '../shared/domain/version-tag.js';
import { startPlatform, type Platform } from './platform/index.js';
import { ProcessFile } from './process-file.js';
import { startPushServer } from './push-server.js';
import { Scheduler } from './scheduler.js';
import { systemClock } from '../shared/ports/clock.js';
import * as defaults from './stack-options.js';
import type { StackOptions } from './stack-options.js';
import { createTopics, createTriggers, topicNames } from './topology.js';
import { startLocalPage } from './release-page.js';
import { collectRevisions, prometheusBase, withPrometheus } from './prometheus/local-metrics.js';

export type { StackAlerts, StackOptions } from './stack-options.js';

/** A running local stack (see startStack). */
export interface Stack {
  endpoints: StackEndpoints;
  config: Config;
  emulator: Emulator;
  platform: Platform;
  /** Pushes `tag` of the first service's image with a recipe carrying `knobs`; Artifact Registry notifies `gcr`. */
  pushImage(tag: string, knobs?: ModelKnobs): Promise<{ image: string; digest: string }>;
  /** Publishes one scheduler tick of every service now (besides the periodic ones). */
  tick(): Promise<Array<string | null>>;
  /** Stops load, scheduler, evaluator, deliveries, functions, revision processes and the emulator. */
  stop(): Promise<void>;
}

/** Every color's inference-log bucket (Terraform creates them in the cloud; the stack, locally). */
function inferenceBuckets(config: Config): string[] {
  return config.services.flatMap((s) =>
    (['blue', 'green'] as const).flatMap((color) => {
      const bucket = s.colors[color].env[s.shadow.bucketEnv];
      return bucket ? [bucket] : [];
    }),
  );
}

/** The first version of a service, pushed and deployed when the state has no service yet. */
const INITIAL_TAG = '1.0.0';

/**
 * Starts everything `cutover local` runs, in this process except the revision processes: the
 * emulator (state in `<stateDir>/emulator.json`, so a restart carries on with the release record),
 * the platform, the topics, the four functions on loopback with their push triggers, the service
 * (created like terraform would, only when the state has none), the scheduler tick, the alert
 * evaluator and steady user traffic. The functions read `process.env`, which this sets
 * (CUTOVER_CONFIG, CUTOVER_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT, webhook credentials): one stack
 * per process at a time.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stateDir = resolve(options.stateDir ?? defaults.DEFAULT_STATE_DIR);
  if (options.fresh) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const timings = { ...LOCAL_TIMINGS, ...options.timings };
  let config = parseConfig(options.config ?? localConfig(timings));
  const project = splitServiceName(config.services[0]?.service ?? '')?.project ?? 'cutover-demo';
  const logger = options.logger ?? jsonLogger({ component: 'cutover-local' });
  const webhook = options.webhook ?? {
    username: 'cutover',
    password: randomBytes(18).toString('base64url'),
  };
  Object.assign(process.env, {
    CUTOVER_CONFIG: JSON.stringify(config),
    GOOGLE_CLOUD_PROJECT: project,
    METADATA_SERVER_DETECTION: 'none',
    [config.webhook.usernameEnv]: webhook.username,
    [config.webhook.passwordEnv]: webhook.password,
  });
  writeFileSync(join(stateDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);

  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const emulator = await startEmulator({
      stateFile: join(stateDir, 'emulator.json'),
      // Messages left unacknowledged by the last run wait until the functions listen again.
      holdRedelivery: true,
      ...(options.emulatorPort ? { port: options.emulatorPort } : {}),
    });
    stops.push(() => emulator.close());
    if (options.metrics === 'prometheus') {
      config = withPrometheus(config, prometheusBase(emulator, project));
      process.env.CUTOVER_CONFIG = JSON.stringify(config);
      writeFileSync(join(stateDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    }
    process.env.CUTOVER_EMULATOR_HOST = emulator.address;
    // @google-cloud/storage finds the emulator through this variable (functions and models alike).
    process.env.STORAGE_EMULATOR_HOST = emulator.storageHost;
    for (const bucket of inferenceBuckets(config)) emulator.storage.ensureBucket(bucket);
    const clientOptions = emulatorClientOptions(parseEndpoint(emulator.address), project);
    const pubsub = new PubSub(clientOptions.pubsub);
    const run = new ServicesClient(clientOptions.gapic);
    const monitoring = new MetricServiceClient(clientOptions.gapic);
    stops.push(() => Promise.all([pubsub.close(), run.close(), monitoring.close()]).then(() => {}));

    const platform = await startPlatform({
      emulator,
      services: config.services.map((s) => ({ name: s.service, apiPrefix: s.endpoint.pathPrefix })),
      rootDir: options.rootDir ?? defaults.REPO_ROOT,
      flushIntervalMs: options.flushIntervalMs ?? 500,
      predictionMetric: config.predictionMetric,
      revisionEnv: { STORAGE_EMULATOR_HOST: emulator.storageHost, INFERENCE_LOG_FLUSH_MS: '500' },
      onError: (error) => logger.warn('platform: metrics not written', { error }),
    });
    stops.push(() => platform.stop());
    if (options.metrics === 'prometheus') {
      const location = splitServiceName(config.services[0]?.service ?? '')?.location ?? '';
      const stop = collectRevisions({
        emulator,
        platform,
        project,
        location,
        intervalMs: 250,
        logger,
      });
      stops.push(stop);
    }
    await createTopics(pubsub);
    const functions = await hostFunctions();
    stops.push(() => functions.close());
    stops.push(() => emulator.pubsub.close());

    for (const service of config.services) {
      if (emulator.run.getService(service.service)) continue;
      const existing = emulator.registry.tags(service.image).find((t) => t.tag === INITIAL_TAG);
      const digest =
        existing?.digest ??
        (
          await emulator.registry.push(service.image, INITIAL_TAG, {
            recipe: modelRecipe(INITIAL_TAG),
          })
        ).digest;
      await createInitialService(run, {
        config: service,
        imageByDigest: `${service.image}@${digest}`,
      });
      logger.info('service created', {
        service: service.service,
        image: `${service.image}:${INITIAL_TAG}`,
      });
    }
    await createTriggers(pubsub, functions.urls, webhook.password);
    emulator.pubsub.resume();

    const topics = topicNames(project);
    const scheduler = new Scheduler({
      bus: new PubSubBus({ pubsub }),
      topic: topics.deploymentEvents,
      periodMs: timings.tickSeconds * 1000,
      logger,
      services: config.services.map((s) => s.service),
      clock: systemClock,
    });
    scheduler.start();
    stops.push(() => scheduler.stop());
    if (options.alerts !== false) {
      const alerts = options.alerts ?? {};
      const evaluator = new AlertEvaluator({
        client: monitoring,
        services: config.services.map((s) => s.service),
        thresholds: { ...TERRAFORM_ALERT_DEFAULTS, durationSeconds: 0, ...alerts },
        predictionMetric: config.predictionMetric,
        windowSeconds: alerts.windowSeconds ?? defaults.DEFAULT_ALERT_WINDOW_SECONDS,
        minRequests: alerts.minRequests ?? defaults.DEFAULT_ALERT_MIN_REQUESTS,
        notify: webhookNotifier({ url: functions.urls.revertOnAlert, ...webhook }),
        clock: { now: () => new Date() },
        logger: logger.with({ part: 'alert-evaluator' }),
      });
      evaluator.start(alerts.intervalMs ?? defaults.DEFAULT_ALERT_INTERVAL_MS);
      stops.push(() => evaluator.stop());
    }
    if (options.load !== false) {
      const rps = options.load?.requestsPerSecond ?? defaults.DEFAULT_REQUESTS_PER_SECOND;
      for (const service of config.services) {
        const load = new LoadGenerator({
          url: platform.serviceUrl(service.service),
          requestsPerSecond: rps,
        });
        load.start();
        stops.push(() => load.stop());
      }
    }

    const image = config.services[0]?.image ?? '';
    const pushImage = async (tag: string, knobs: ModelKnobs = {}) => {
      const recipe = modelRecipe(tag, knobs);
      const { digest } = await emulator.registry.push(image, tag, { recipe });
      logger.info('image pushed', { image: `${image}:${tag}`, digest, knobs });
      return { image: `${image}:${tag}`, digest };
    };
    const pushServer = await startPushServer(pushImage);
    stops.push(() => pushServer.close());

    const page = await startLocalPage({
      emulator,
      config,
      clientOptions,
      topic: topicNames(project).deploymentEvents,
    });
    stops.push(() => page.close());

    const endpoints: StackEndpoints = {
      emulator: emulator.address,
      project,
      services: Object.fromEntries(
        config.services.map((s) => [
          s.service,
          {
            url: platform.serviceUrl(s.service),
            tags: {
              blue: platform.tagUrl(s.service, 'blue'),
              green: platform.tagUrl(s.service, 'green'),
            },
            api: apiBaseOf(s.endpoint, platform.serviceUrl(s.service)) ?? undefined,
          },
        ]),
      ),
      functions: functions.urls,
      topics,
      registry: pushServer.url,
      stateDir,
      ui: page.url,
      pid: process.pid,
    };
    writeEndpoints(endpoints);
    const processes = new ProcessFile(join(stateDir, 'processes.json'), () => platform.processes());
    processes.start();
    stops.push(() => processes.stop());

    let stopping: Promise<void> | null = null;
    return {
      endpoints,
      config,
      emulator,
      platform,
      pushImage,
      tick: () => scheduler.tick(),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
