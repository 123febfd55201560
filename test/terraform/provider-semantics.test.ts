import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudRunPlatform } from '../../shared/adapters/gcp/cloud-run-platform.js';
import { FAST_RETRY } from '../../shared/adapters/gcp/retry.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { parseConfig } from '../../shared/config/load.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { provisionCandidate } from '../../shared/usecases/provision.js';
import { applyInput, rollbackContainer } from '../../shared/usecases/revert.js';
import { startEmulatorClients, type EmulatorClients } from '../contract/emulator-clients.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { first, loadTfFiles, moduleOf } from './hcl.js';
import { apply, plan, read, requestBody, type TfService } from './provider-model.js';

const PROJECT = 'p';
const PARENT = `projects/${PROJECT}/locations/us-central1`;
const SERVICE = `${PARENT}/services/leakage`;
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const digest = (n: number): string => `sha256:${String(n).repeat(64)}`;
const BUCKET = { blue: 'p-leakage-inference-blue', green: 'p-leakage-inference-green' };
const ACCOUNT = {
  blue: 'crun-leakage-blue@p.iam.gserviceaccount.com',
  green: 'crun-leakage-green@p.iam.gserviceaccount.com',
};

const mod = moduleOf(await loadTfFiles(), '');
const managed = mod.resources.google_cloud_run_v2_service?.managed ?? {};
/** The module's own ignore_changes list, as hcl2json renders it (`${template[0]...}`). */
const IGNORED = (first(managed.lifecycle).ignore_changes as string[]).map((p) =>
  p.replace(/^\$\{|\}$/g, ''),
);

interface Settings {
  cpu: string;
  memory: string;
  env: Record<string, string>;
  min: number;
  max: number;
}
const INITIAL: Settings = { cpu: '1', memory: '512Mi', env: { MODEL: 'leakage' }, min: 0, max: 10 };

/** terraform/service.tf's configuration of the service, for one `services` entry. */
function configuration(s: Settings): TfService {
  return {
    template: {
      revision: null,
      labels: null,
      service_account: ACCOUNT.blue,
      scaling: { min_instance_count: s.min, max_instance_count: s.max },
      containers: [
        {
          image: `${REPO}:1.0.0`,
          env: [
            { name: 'INFERENCE_LOG_BUCKET', value: BUCKET.blue },
            ...Object.entries(s.env).map(([name, value]) => ({ name, value })),
          ],
          resources: { limits: { cpu: s.cpu, memory: s.memory } },
          ports: [{ container_port: 8080 }],
        },
      ],
    },
    traffic: null,
    annotations: {},
  };
}

const config = parseConfig({
  services: [
    {
      service: SERVICE,
      image: REPO,
      steps: [50, 100],
      colors: {
        blue: { env: { INFERENCE_LOG_BUCKET: BUCKET.blue }, serviceAccount: ACCOUNT.blue },
        green: { env: { INFERENCE_LOG_BUCKET: BUCKET.green }, serviceAccount: ACCOUNT.green },
      },
    },
  ],
});
const service = config.services[0]!;

let c: EmulatorClients;
let deps: Deps;
let registry: FakeRegistry;
let now = new Date('2026-12-01T10:00:00Z');

beforeAll(async () => {
  c = await startEmulatorClients();
  registry = new FakeRegistry();
  registry.seed(REPO, { '1.0.0': digest(1), '2.0.0': digest(2), '3.0.0': digest(3) });
  const platform = new CloudRunPlatform({
    services: c.services,
    revisions: c.revisions,
    retry: FAST_RETRY,
  });
  let n = 0;
  deps = {
    config,
    clock: { now: () => now },
    logger: memoryLogger(),
    platform: () => platform,
    registry: () => registry,
    bus: () => new FakeBus(),
    metrics: () => new FakeMetrics(),
    prober: () => new HttpSmokeProber(),
    inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
    replayer: () => ({ replay: async () => [] }),
    newId: () => `r${++n}`,
  };
  // `terraform apply` creating the service: the configuration as the provider sends it.
  const created = configuration(INITIAL);
  const [operation] = await c.services.createService({
    parent: PARENT,
    serviceId: 'leakage',
    service: {
      template: {
        serviceAccount: created.template.service_account ?? '',
        scaling: { minInstanceCount: INITIAL.min, maxInstanceCount: INITIAL.max },
        containers: created.template.containers.map((ct) => ({
          image: ct.image,
          env: ct.env,
          resources: { limits: ct.resources?.limits ?? {} },
          ports: [{ containerPort: 8080 }],
        })),
      },
    },
  });
  await operation.promise();
}, 60_000);

afterAll(async () => {
  await c?.close();
});

const tick = (seconds = 60): void => {
  now = new Date(now.getTime() + seconds * 1000);
};
const get = async () => (await c.services.getService({ name: SERVICE }))[0];
const serving = async () =>
  (await get()).trafficStatuses?.map((t) => ({ revision: t.revision, percent: t.percent, tag: t.tag }));
const terraformApply = (settings: Settings = INITIAL) =>
  apply(c.services, SERVICE, configuration(settings), IGNORED);

/** A candidate through smoke test and steps to promotion, as advanceRelease would drive it. */
async function promote(): Promise<void> {
  await applyInput(deps, service, {
    type: 'smoke-result',
    releaseId: (await deps.platform().get(SERVICE)).record!.release!.id,
    smoke: { passed: true, checks: [] },
  });
  tick();
  const record = (await deps.platform().get(SERVICE)).record!;
  await applyInput(deps, service, { type: 'promote', requestedBy: 'test' });
  expect((await deps.platform().get(SERVICE)).record!.release).toMatchObject({
    id: record.release!.id,
    phase: 'promoted',
  });
}

async function templateOf(revision: string) {
  const [r] = await c.revisions.getRevision({ name: `${SERVICE}/revisions/${revision}` });
  return r;
}

describe('the provider model', () => {
  it('configures exactly the template attributes terraform/service.tf sets', () => {
    const template = first(managed.template);
    expect(Object.keys(template).sort()).toEqual(['containers', 'scaling', 'service_account']);
    const container = first(template.containers);
    expect(Object.keys(container).sort()).toEqual(['dynamic', 'env', 'image', 'ports', 'resources']);
    expect(first(container.env).name).toBe('${var.inference_log_env_name}');
    expect(Object.keys(first(template.scaling)).sort()).toEqual([
      'max_instance_count',
      'min_instance_count',
    ]);
  });
});

describe('the google provider on a service cutover releases (emulator)', () => {
  it('plans nothing right after creation', async () => {
    expect((await terraformApply()).changes).toEqual([]);
  });

  it('plans nothing right after a release started (candidate at 0%)', async () => {
    const started = await provisionCandidate(deps, {
      service,
      image: `${REPO}@${digest(2)}`,
      tag: '2.0.0',
    });
    expect(started.kind).toBe('applied');
    const state = read(await get());
    expect(state.template.revision).toBeNull();
    expect((await terraformApply()).changes).toEqual([]);
  });

  it('plans nothing after a promotion', async () => {
    await promote();
    expect((await terraformApply()).changes).toEqual([]);
  });

  it('plans nothing after a traffic rollback', async () => {
    tick();
    await provisionCandidate(deps, { service, image: `${REPO}@${digest(3)}`, tag: '3.0.0' });
    await applyInput(deps, service, { type: 'rollback-traffic', requestedBy: 't', reason: 'bad' });
    expect((await deps.platform().get(SERVICE)).record!.release).toMatchObject({ phase: 'rolled-back' });
    expect((await terraformApply()).changes).toEqual([]);
  });

  it('plans nothing after a container rollback', async () => {
    tick();
    const rolled = await rollbackContainer(deps, service, { requestedBy: 't', reason: 'old one' });
    expect(rolled.kind).toBe('applied');
    expect((await deps.platform().get(SERVICE)).record!.stable.image).toBe(`${REPO}@${digest(1)}`);
    expect((await terraformApply()).changes).toEqual([]);
  });

  it('applies a cpu, memory, env and scaling change without 409, leaving the serving split alone', async () => {
    const before = await serving();
    const record = (await deps.platform().get(SERVICE)).record;
    const changed: Settings = { cpu: '2', memory: '1Gi', env: { MODEL: 'leakage', LOG: 'debug' }, min: 1, max: 20 };
    const result = await terraformApply(changed);
    expect(result.changes.sort()).toEqual([
      'template.containers.0.env.2',
      'template.containers.0.resources.limits.cpu',
      'template.containers.0.resources.limits.memory',
      'template.scaling.max_instance_count',
      'template.scaling.min_instance_count',
    ]);
    expect(await serving()).toEqual(before);
    expect((await deps.platform().get(SERVICE)).record).toEqual(record);
    expect((await terraformApply(changed)).changes).toEqual([]);
  });

  it('releases that change on the next tick; the candidate carries it, with the stable image', async () => {
    const terraformRevision = (await deps.platform().get(SERVICE)).latestCreatedRevision!;
    tick();
    const started = await advanceService(deps, service);
    expect(started.kind).toBe('applied');
    const record = (await deps.platform().get(SERVICE)).record!;
    expect(record.release).toMatchObject({ phase: 'provisioning', tag: terraformRevision });
    const candidate = await templateOf(record.release!.candidate.revision);
    expect(candidate.containers?.[0]).toMatchObject({
      image: record.stable.image,
      resources: { limits: { cpu: '2', memory: '1Gi' } },
    });
    const color = record.release!.candidate.color;
    expect(candidate.containers?.[0]?.env?.map((e) => [e.name, e.value])).toEqual([
      ['INFERENCE_LOG_BUCKET', BUCKET[color]],
      ['MODEL', 'leakage'],
      ['LOG', 'debug'],
    ]);
    expect(candidate.scaling).toMatchObject({ minInstanceCount: 1, maxInstanceCount: 20 });
    expect(candidate.serviceAccount).toBe(ACCOUNT[color]);
    tick();
    await advanceService(deps, service);
    await promote();
    expect((await terraformApply({ cpu: '2', memory: '1Gi', env: { MODEL: 'leakage', LOG: 'debug' }, min: 1, max: 20 })).changes).toEqual([]);
  });

  it('gives the next image release the Terraform settings too', async () => {
    tick();
    registry.seed(REPO, { '4.0.0': digest(4) });
    await provisionCandidate(deps, { service, image: `${REPO}@${digest(4)}`, tag: '4.0.0' });
    const record = (await deps.platform().get(SERVICE)).record!;
    const candidate = await templateOf(record.release!.candidate.revision);
    expect(candidate.containers?.[0]?.image).toBe(`${REPO}@${digest(4)}`);
    expect(candidate.containers?.[0]?.resources?.limits).toMatchObject({ cpu: '2', memory: '1Gi' });
    expect(candidate.scaling).toMatchObject({ minInstanceCount: 1, maxInstanceCount: 20 });
  });

  it('notices a field cutover writes that the module would not ignore', async () => {
    const state = read(await get());
    for (const path of IGNORED.filter((p) => p.startsWith('template'))) {
      const changes = plan(configuration(INITIAL), state, IGNORED.filter((p) => p !== path)).changes;
      expect(changes.length, path).toBeGreaterThan(0);
    }
  });

  it('would 409 if a revision name were left in the template (the failure this design removes)', async () => {
    const [svc] = await c.services.getService({ name: SERVICE });
    const existing = svc.latestCreatedRevision!.slice(svc.latestCreatedRevision!.lastIndexOf('/') + 1);
    // With ignore_changes = [template[0].revision] and a name cutover left in state, the provider
    // re-sends that name with the new configuration.
    const { planned } = plan(configuration({ ...INITIAL, memory: '3Gi' }), read(svc), IGNORED);
    planned.template.revision = existing;
    const sent = c.services
      .updateService({ service: requestBody(SERVICE, planned) })
      .then(([operation]) => operation.promise());
    await expect(sent).rejects.toMatchObject({
      code: 6,
      details: expect.stringContaining('with different configuration already exists'),
    });
  });
});
