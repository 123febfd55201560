import { describe, expect, it } from 'vitest';
import { ArtifactRegistry } from '../../../shared/adapters/gcp/artifact-registry.js';
import { CloudRunPlatform } from '../../../shared/adapters/gcp/cloud-run-platform.js';
import { MonitoringMetrics } from '../../../shared/adapters/gcp/monitoring-metrics.js';
import { PubSubBus } from '../../../shared/adapters/gcp/pubsub-bus.js';
import { HttpSmokeProber } from '../../../shared/adapters/http-smoke-prober.js';
import { buildDeps } from '../../../shared/adapters/wiring.js';
import { Config } from '../../../shared/schemas/config.js';

const config = Config.parse({
  services: [
    {
      service: 'projects/p/locations/us-central1/services/model',
      image: 'us-docker.pkg.dev/p/repo/model',
    },
  ],
});

describe('buildDeps', () => {
  it('builds each adapter on first use, once', () => {
    const deps = buildDeps(
      { CUTOVER_EMULATOR_HOST: '127.0.0.1:1', GOOGLE_CLOUD_PROJECT: 'p' },
      config,
    );
    expect(deps.platform()).toBeInstanceOf(CloudRunPlatform);
    expect(deps.platform()).toBe(deps.platform());
    expect(deps.metrics()).toBeInstanceOf(MonitoringMetrics);
    expect(deps.registry()).toBeInstanceOf(ArtifactRegistry);
    expect(deps.bus()).toBeInstanceOf(PubSubBus);
    expect(deps.prober()).toBeInstanceOf(HttpSmokeProber);
    expect(deps.newId()).toMatch(/^\d{8}t\d{6}-[0-9a-z]{4}$/);
  });
});
