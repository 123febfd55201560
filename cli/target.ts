import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  clientOptionsFromEnv,
  emulatorClientOptions,
  parseEndpoint,
  type GoogleClientOptions,
} from '../shared/adapters/gcp/client-options.js';
import { gcpAdapters, type Adapters } from '../shared/adapters/wiring.js';
import { loadConfigFile, loadConfigFromEnv } from '../shared/config/load.js';
import { resolveServiceRef, splitServiceName } from '../shared/domain/service-ref.js';
import { ConfigError } from '../shared/errors.js';
import { ServiceName, type Config } from '../shared/schemas/config.js';
import { CONFIG_FILE, readEndpoints } from '../local/endpoints.js';
import { DEFAULT_STATE_DIR } from '../local/stack-options.js';
import { gcloudDefaults, type GcloudDefaults } from './gcloud-defaults.js';
import type { OutputOptions } from './output.js';
import { assertReachable, assertStackRunning } from './reachable.js';
import { TargetError } from './target-error.js';

export { TargetError } from './target-error.js';

/** Options every operator command takes. */
export interface TargetOptions extends OutputOptions {
  local?: boolean;
  stateDir?: string;
  config?: string;
  project?: string;
  region?: string;
}

/** Where an operator command acts: the service, its config (if known) and the adapters to use. */
export interface Target {
  kind: 'local' | 'emulator' | 'gcp';
  service: string;
  config: Config | null;
  adapters: Adapters;
  topics: { deploymentEvents: string; rollbackRequests: string };
}

export function addTargetOptions(command: Command): Command {
  return command
    .option('--local', 'act on the local stack (`cutover local`), found through its state dir')
    .option('--state-dir <dir>', `the local stack's state dir (default ${DEFAULT_STATE_DIR})`)
    .option('--config <file>', 'cutover config, to resolve a bare service id')
    .option('--project <id>', 'project of a bare service id (default: gcloud config core/project)')
    .option('--region <region>', 'region of a bare service id (default: gcloud config run/region)')
    .option('--json', 'machine-readable output (and errors) as JSON')
    .option('--format <format>', 'json or text, as gcloud spells it');
}

function loadConfig(options: TargetOptions, localDir: string | null): Config | null {
  if (options.config) return loadConfigFile(options.config);
  if (process.env.CUTOVER_CONFIG || process.env.CUTOVER_CONFIG_FILE) return loadConfigFromEnv();
  if (localDir && existsSync(join(localDir, CONFIG_FILE)))
    return loadConfigFile(join(localDir, CONFIG_FILE));
  return null;
}

/** Where a bare service id lives when no config names it: --project/--region, else gcloud's defaults. */
export interface Place {
  project: string | null;
  region: string | null;
}

/**
 * The full service name: as given, resolved from a bare id through the config, built from the
 * project and region (flags or gcloud defaults), or the config's only service.
 */
export function resolveService(
  ref: string | undefined,
  config: Config | null,
  place: Place = { project: null, region: null },
): string {
  if (ref && ServiceName.safeParse(ref).success) return ref;
  const inConfig = ref && config ? resolveServiceRef(ref, config) : null;
  if (inConfig?.kind === 'found') return inConfig.service.service;
  if (ref && (!config || inConfig?.kind === 'unknown') && place.project && place.region) {
    const built = `projects/${place.project}/locations/${place.region}/services/${ref}`;
    if (ServiceName.safeParse(built).success) return built;
  }
  if (!config)
    throw new TargetError(
      ref
        ? `"${ref}" is not a full service name and nothing resolves it: give --project and --region (or set them with \`gcloud config set\`), --config FILE, CUTOVER_CONFIG or --local`
        : 'name the service (projects/P/locations/L/services/S), or give a config with exactly one service',
    );
  if (!ref) {
    const [only, ...more] = config.services;
    if (!only || more.length)
      throw new TargetError(
        `name the service: the config has ${config.services.map((s) => s.service).join(', ')}`,
      );
    return only.service;
  }
  if (inConfig?.kind === 'ambiguous')
    throw new TargetError(`"${ref}" matches ${inConfig.candidates.join(', ')}; name it in full`);
  throw new TargetError(`service "${ref}" is not in the config`);
}

/**
 * Resolves where to act: `--local` (the stack's endpoints.json, its emulator and config), else
 * `CUTOVER_EMULATOR_HOST` (any emulator), else Google Cloud with Application Default Credentials.
 * Pub/Sub publishes go to topics in the service's own project. A local stack that stopped, or an
 * emulator nobody listens on, fails here within seconds instead of through minutes of retries.
 */
export async function openTarget(
  ref: string | undefined,
  options: TargetOptions,
  defaults: GcloudDefaults = gcloudDefaults(),
): Promise<Target> {
  let kind: Target['kind'] = 'gcp';
  let emulator: string | null = process.env.CUTOVER_EMULATOR_HOST ?? null;
  const localDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  if (options.local) {
    const endpoints = readEndpoints(localDir);
    assertStackRunning(endpoints);
    emulator = endpoints.emulator;
    kind = 'local';
  } else if (emulator) kind = 'emulator';
  let config: Config | null;
  try {
    config = loadConfig(options, options.local ? localDir : null);
  } catch (error) {
    if (error instanceof ConfigError) throw new TargetError(error.message, { cause: error });
    throw error;
  }
  const service = resolveService(ref, config, {
    project: options.project ?? defaults.project,
    region: options.region ?? defaults.region,
  });
  const project = splitServiceName(service)?.project;
  let clients: GoogleClientOptions;
  if (emulator) {
    const endpoint = parseEndpoint(emulator);
    await assertReachable(endpoint, kind === 'local' ? `the local stack in ${localDir}` : emulator);
    clients = emulatorClientOptions(endpoint, project);
  } else {
    const fromEnv = clientOptionsFromEnv({});
    clients = { gapic: fromEnv.gapic, pubsub: { ...fromEnv.pubsub, projectId: project } };
  }
  return {
    kind,
    service,
    config,
    adapters: gcpAdapters(clients, config?.predictionMetric),
    topics: config?.topics ?? {
      deploymentEvents: 'cutover-deployment-events',
      rollbackRequests: 'cutover-rollback-requests',
    },
  };
}

/** Who runs the command, recorded as the actor: `--by`, else the gcloud account, else `$USER@cutover-cli`. */
export function requester(
  by: string | undefined,
  defaults: Pick<GcloudDefaults, 'account'> = gcloudDefaults(),
): string {
  return (
    by ??
    defaults.account ??
    `${process.env.USER ?? process.env.USERNAME ?? 'operator'}@cutover-cli`
  );
}
