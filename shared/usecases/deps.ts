import type { Config } from '../schemas/config.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { ImageRegistry } from '../ports/image-registry.js';
import type { Logger } from '../ports/logger.js';
import type { MetricsSource } from '../ports/metrics-source.js';
import type { ServicePlatform } from '../ports/service-platform.js';
import type { SmokeProber } from '../ports/smoke-prober.js';
import type { InferenceLogStore } from '../ports/inference-log-store.js';
import type { ShadowReplayer } from '../ports/shadow-replayer.js';

/**
 * What the use cases run against. Each entry is a getter so a function builds only the clients
 * it uses (a provisionGreen cold start never loads the Monitoring client).
 */
export interface Deps {
  config: Config;
  clock: Clock;
  logger: Logger;
  platform(): ServicePlatform;
  bus(): EventBus;
  registry(): ImageRegistry;
  metrics(): MetricsSource;
  prober(): SmokeProber;
  /** The colors' inference-log buckets, read by the shadow replay. */
  inferenceLogs(): InferenceLogStore;
  replayer(): ShadowReplayer;
  /** A fresh, sortable, lowercase id for a release or an operation. */
  newId(): string;
}

/** `20261128t223000-k3f9`: time first so ids sort, a random suffix so two in one second differ. */
export function timeId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .toLowerCase();
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}
