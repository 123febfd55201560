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

/** Options every operator command takes. */
export interface TargetOptions {
  local?: boolean;
  stateDir?: string;
  config?: string;
}

/** Where an operator command acts: the service, its config (if known) and the adapters to use. */
export interface Target {
  kind: 'local' | 'emulator' | 'gcp';
  service: string;
  config: Config | null;
  adapters: Adapters;
  topics: { deploymentEvents: string; rollbackRequests: string };
}

/** The command line cannot be resolved to one service or one place; the message says why. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export function addTargetOptions(command: Command): Command {
  return command
    .option('--local', 'act on the local stack (`cutover local`), found through its state dir')
    .option('--state-dir <dir>', `the local stack's state dir (default ${DEFAULT_STATE_DIR})`)
    .option('--config <file>', 'cutover config, to resolve a bare service id');
}

function loadConfig(options: TargetOptions, localDir: string | null): Config | null {
  if (options.config) return loadConfigFile(options.config);
  if (process.env.CUTOVER_CONFIG || process.env.CUTOVER_CONFIG_FILE) return loadConfigFromEnv();
  if (localDir && existsSync(join(localDir, CONFIG_FILE)))
    return loadConfigFile(join(localDir, CONFIG_FILE));
  return null;
}

/** The full service name: as given, resolved from a bare id, or the config's only service. */
export function resolveService(ref: string | undefined, config: Config | null): string {
  if (ref && ServiceName.safeParse(ref).success) return ref;
  if (!config)
    throw new TargetError(
      ref
        ? `"${ref}" is not a full service name and no config is known to resolve it (--config FILE, CUTOVER_CONFIG or --local)`
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
  const match = resolveServiceRef(ref, config);
  if (match.kind === 'found') return match.service.service;
  throw new TargetError(
    match.kind === 'unknown'
      ? `service "${ref}" is not in the config`
      : `"${ref}" matches ${match.candidates.join(', ')}; name it in full`,
  );
}

/**
 * Resolves where to act: `--local` (the stack's endpoints.json, its emulator and config), else
 * `CUTOVER_EMULATOR_HOST` (any emulator), else Google Cloud with Application Default Credentials.
 * Pub/Sub publishes go to topics in the service's own project.
 */
export function resolveTarget(ref: string | undefined, options: TargetOptions): Target {
  let kind: Target['kind'] = 'gcp';
  let emulator: string | null = process.env.CUTOVER_EMULATOR_HOST ?? null;
  const localDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  if (options.local) {
    emulator = readEndpoints(localDir).emulator;
    kind = 'local';
  } else if (emulator) kind = 'emulator';
  let config: Config | null;
  try {
    config = loadConfig(options, options.local ? localDir : null);
  } catch (error) {
    if (error instanceof ConfigError) throw new TargetError(error.message);
    throw error;
  }
  const service = resolveService(ref, config);
  const project = splitServiceName(service)?.project;
  let clients: GoogleClientOptions;
  if (emulator) clients = emulatorClientOptions(parseEndpoint(emulator), project);
  else {
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

/** Who runs the command, for `requestedBy`: `--by`, else `$USER@cli`. */
export function requester(by: string | undefined): string {
  return by ?? `${process.env.USER ?? process.env.USERNAME ?? 'operator'}@cutover-cli`;
}
