import * as grpc from '@grpc/grpc-js';
import { MetricServiceClient } from '@google-cloud/monitoring';
import type { protos as monitoringProtos } from '@google-cloud/monitoring';
import { ServicesClient, protos } from '@google-cloud/run';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discardPublisher, startEmulator, type Emulator } from '../../local/emulator/index.js';
import { startPlatform, type Platform, type Recipe } from '../../local/platform/index.js';
import { ManualClock } from '../fakes/manual-clock.js';

type Service = protos.google.cloud.run.v2.IService;
type Point = monitoringProtos.google.monitoring.v3.IPoint;
const { TrafficTargetAllocationType: Alloc } = protos.google.cloud.run.v2;
const { State } = protos.google.cloud.run.v2.Condition;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROJECT = 'cutover-test';
const PARENT = `projects/${PROJECT}/locations/us-central1`;
const IMAGE = 'us-central1-docker.pkg.dev/cutover-test/models/leakage-model';
const FEATURES = { pressure_bar: 3.2, flow_lpm: 41.5, pipe_age_years: 27, material: 'cast_iron' };

const recipe = (env: Record<string, string>): Recipe => ({
  command: process.execPath,
  args: ['--import', 'tsx', 'examples/leakage-model/server.ts'],
  env,
  cwd: '.',
});

let emulator: Emulator;
let services: ServicesClient;
let metrics: MetricServiceClient;
const platforms: Platform[] = [];
let counter = 0;
/** The recorder stamps its points with this clock; the queries read around its now. */
const clock = new ManualClock();

beforeAll(async () => {
  // Registry notifications are not what this suite is about: they go nowhere.
  emulator = await startEmulator({ publish: discardPublisher });
  const { googleAuthLibrary } = await import('google-gax');
  const options = (port: number) => ({
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  });
  services = new ServicesClient(options(emulator.port));
  metrics = new MetricServiceClient({ ...options(emulator.port), projectId: PROJECT });
});

afterEach(async () => {
  for (const p of platforms.splice(0)) await p.stop();
});

afterAll(async () => {
  await services.close();
  await metrics.close();
  await emulator.close();
});

async function platform(name: string): Promise<Platform> {
  const p = await startPlatform({
    emulator,
    services: [{ name }],
    rootDir: ROOT,
    flushIntervalMs: 100,
    clock,
  });
  platforms.push(p);
  return p;
}

async function push(tag: string, env: Record<string, string>): Promise<string> {
  const { digest } = await emulator.registry.push(IMAGE, tag, { recipe: recipe(env) });
  return `${IMAGE}@${digest}`;
}

async function write(service: Service): Promise<Service> {
  const [operation] = await services.updateService({ service });
  const [result] = await operation.promise();
  return result;
}

async function predict(url: string): Promise<{ status: number; version?: string }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', body: JSON.stringify(FEATURES) });
  const body = (await res.json()) as { model_version?: string };
  return body.model_version
    ? { status: res.status, version: body.model_version }
    : { status: res.status };
}

async function burst(url: string, count: number, concurrency = 8) {
  const results: Array<{ status: number; version?: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next++ < count) results.push(await predict(url));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

const versions = (results: Array<{ version?: string }>) =>
  results.reduce<Record<string, number>>(
    (t, r) => ({ ...t, [r.version ?? 'none']: (t[r.version ?? 'none'] ?? 0) + 1 }),
    {},
  );

/** Sums the points of every series of `metric` for a revision, read with the plain Monitoring client. */
async function total(metric: string, revision: string, pick: (point: Point) => number) {
  const now = Math.floor(clock.now().getTime() / 1000);
  const [series] = await metrics.listTimeSeries({
    name: `projects/${PROJECT}`,
    filter: `metric.type = "${metric}" AND resource.type = "cloud_run_revision" AND resource.labels.revision_name = "${revision}"`,
    interval: { startTime: { seconds: now - 600 }, endTime: { seconds: now + 60 } },
    view: 'FULL',
  });
  return series.flatMap((s) => s.points ?? []).reduce((sum, p) => sum + pick(p), 0);
}

async function createService(image: string, env: Record<string, string> = {}) {
  counter += 1;
  const id = `model-${counter}`;
  const name = `${PARENT}/services/${id}`;
  return { id, name, image, env };
}

describe('local platform', () => {
  it(
    'runs revisions as processes behind the router, follows traffic, records metrics, and stops every child',
    { timeout: 90_000 },
    async () => {
      const v1 = await push('1.0.0', { MODEL_VERSION: '1.0.0' });
      const { id, name } = await createService(v1);
      const p = await platform(name);
      const [op] = await services.createService({
        parent: PARENT,
        serviceId: id,
        service: {
          template: {
            revision: `${id}-00001-blu`,
            containers: [
              { image: v1, env: [{ name: 'INFERENCE_LOG_BUCKET', value: 'inference-blue' }] },
            ],
          },
          traffic: [
            {
              type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
              revision: `${id}-00001-blu`,
              percent: 100,
              tag: 'blue',
            },
          ],
        },
      });
      const [created] = await op.promise();
      expect(created.uri).toBe(p.serviceUrl(name));
      expect(created.trafficStatuses?.find((t) => t.tag === 'blue')?.uri).toBe(
        p.tagUrl(name, 'blue'),
      );
      expect(versions(await burst(p.serviceUrl(name), 20))).toEqual({ '1.0.0': 20 });

      const v2 = await push('2.0.0', { MODEL_VERSION: '2.0.0' });
      const green = `${id}-00002-grn`;
      const shifted = await write({
        ...created,
        template: {
          revision: green,
          containers: [
            { image: v2, env: [{ name: 'INFERENCE_LOG_BUCKET', value: 'inference-green' }] },
          ],
        },
        traffic: [
          {
            type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision: `${id}-00001-blu`,
            percent: 90,
            tag: 'blue',
          },
          {
            type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision: green,
            percent: 10,
            tag: 'green',
          },
        ],
      });
      expect(shifted.terminalCondition?.state).toBe(State.CONDITION_SUCCEEDED);
      expect(shifted.trafficStatuses?.find((t) => t.tag === 'green')?.uri).toBe(
        p.tagUrl(name, 'green'),
      );
      expect(versions(await burst(p.serviceUrl(name), 100))).toEqual({ '1.0.0': 90, '2.0.0': 10 });
      expect(versions(await burst(p.tagUrl(name, 'green'), 10))).toEqual({ '2.0.0': 10 });

      // A revert while requests stream in fails none of them.
      const stream = burst(p.serviceUrl(name), 120, 12);
      await write({
        ...shifted,
        traffic: [
          {
            type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision: `${id}-00001-blu`,
            percent: 100,
            tag: 'blue',
          },
          {
            type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision: green,
            percent: 0,
            tag: 'green',
          },
        ],
      });
      const during = await stream;
      expect(during.filter((r) => r.status !== 200)).toEqual([]);
      expect(versions(await burst(p.serviceUrl(name), 20))).toEqual({ '1.0.0': 20 });

      await p.flush();
      const count = (point: Point) => Number(point.value?.int64Value ?? 0);
      const dist = (point: Point) => Number(point.value?.distributionValue?.count ?? 0);
      const greenCount = await total('run.googleapis.com/request_count', green, count);
      expect(greenCount).toBeGreaterThanOrEqual(20);
      expect(await total('logging.googleapis.com/user/cutover-prediction', green, dist)).toBe(
        greenCount,
      );
      expect(await total('run.googleapis.com/request_latencies', green, dist)).toBe(greenCount);
      const blueCount = await total('run.googleapis.com/request_count', `${id}-00001-blu`, count);
      expect(blueCount + greenCount).toBe(20 + 100 + 10 + 120 + 20);

      const pids = p.processes().map((x) => x.pid);
      expect(pids).toHaveLength(2);
      await p.stop();
      platforms.splice(0);
      for (const pid of pids)
        expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    },
  );

  it('fails the operation with the process stderr when a revision never becomes ready, and keeps the traffic', async () => {
    const v1 = await push('1.0.0', { MODEL_VERSION: '1.0.0' });
    const { id, name } = await createService(v1);
    const p = await platform(name);
    const [op] = await services.createService({
      parent: PARENT,
      serviceId: id,
      service: { template: { containers: [{ image: v1 }] } },
    });
    const [created] = await op.promise();
    const broken = await push('2.0.0', { MODEL_VERSION: '2.0.0', FAIL_STARTUP: 'true' });
    // As Cloud Run does: the operation ends with code 9 and the container's failure.
    await expect(
      write({ ...created, template: { containers: [{ image: broken }] } }),
    ).rejects.toMatchObject({
      code: 9,
      message: expect.stringContaining('is not ready and cannot serve traffic'),
    });
    const [failed] = await services.getService({ name });
    expect(failed.terminalCondition?.state).toBe('CONDITION_FAILED');
    expect(failed.terminalCondition?.message).toContain('FAIL_STARTUP');
    expect(versions(await burst(p.serviceUrl(name), 10))).toEqual({ '1.0.0': 10 });
    expect(p.processes()).toHaveLength(1);
  });

  it('starts a revision as Cloud Run does: K_SERVICE and K_REVISION are its short names, its /metrics a target', async () => {
    const v1 = await push('1.0.0', { MODEL_VERSION: '1.0.0' });
    const { id, name } = await createService(v1);
    const p = await platform(name);
    const [op] = await services.createService({
      parent: PARENT,
      serviceId: id,
      service: { template: { containers: [{ image: v1 }] } },
    });
    await op.promise();
    expect(versions(await burst(p.serviceUrl(name), 2))).toEqual({ '1.0.0': 2 });
    const [target] = p.metricsTargets();
    const short = target?.revision.split('/').at(-1) ?? '';
    expect(target?.revision).toBe(`${name}/revisions/${short}`);
    // The model labels its prom-client metrics with K_REVISION and K_SERVICE.
    const text = await (await fetch(target?.url ?? '')).text();
    expect(text).toContain(`revision="${short}"`);
    expect(text).toContain(`service="${id}"`);
  });

  it('fails a revision whose image has no local recipe', async () => {
    const { digest } = await emulator.registry.push(IMAGE, 'norecipe', {});
    const { id, name } = await createService(`${IMAGE}@${digest}`);
    await platform(name);
    const [op] = await services.createService({
      parent: PARENT,
      serviceId: id,
      service: { template: { containers: [{ image: `${IMAGE}@${digest}` }] } },
    });
    await expect(op.promise()).rejects.toMatchObject({
      code: 9,
      message: expect.stringContaining('no usable local recipe'),
    });
    const [created] = await services.getService({ name });
    expect(created.terminalCondition?.state).toBe('CONDITION_FAILED');
  });

  it('a restarted platform serves what the emulator state says, on new URLs', async () => {
    const v1 = await push('3.0.0', { MODEL_VERSION: '3.0.0' });
    const { id, name } = await createService(v1);
    const first = await platform(name);
    const [op] = await services.createService({
      parent: PARENT,
      serviceId: id,
      service: { template: { containers: [{ image: v1 }] } },
    });
    await op.promise();
    expect(versions(await burst(first.serviceUrl(name), 5))).toEqual({ '3.0.0': 5 });
    const firstPids = first.processes().map((x) => x.pid);
    await first.stop();
    platforms.splice(0);
    for (const pid of firstPids)
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));

    const second = await platform(name);
    const [service] = await services.getService({ name });
    expect(service.uri).toBe(second.serviceUrl(name));
    expect(versions(await burst(second.serviceUrl(name), 5))).toEqual({ '3.0.0': 5 });
  });

  it('stops a revision that serves nothing, has no tag and is not the latest, keeps the others, and starts it again when traffic comes back', async () => {
    const v1 = await push('4.0.0', { MODEL_VERSION: '4.0.0' });
    const v2 = await push('5.0.0', { MODEL_VERSION: '5.0.0' });
    const { id, name } = await createService(v1);
    const p = await platform(name);
    const blue = `${id}-00001-blu`;
    const green = `${id}-00002-grn`;
    const target = (revision: string, percent: number, tag?: string) => ({
      type: Alloc.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
      revision,
      percent,
      ...(tag ? { tag } : {}),
    });
    const [op] = await services.createService({
      parent: PARENT,
      serviceId: id,
      service: {
        template: { revision: blue, containers: [{ image: v1 }] },
        traffic: [target(blue, 100, 'blue')],
      },
    });
    const [created] = await op.promise();
    const running = () => p.processes().map((x) => x.revision.split('/').pop());
    // green deployed at 0 % without a tag yet: the latest ready revision keeps running.
    const deployed = await write({
      ...created,
      template: { revision: green, containers: [{ image: v2 }] },
      traffic: [target(blue, 100, 'blue')],
    });
    expect(running().sort()).toEqual([blue, green]);
    // green at 0 % under its tag: both run.
    const tagged = await write({
      ...deployed,
      traffic: [target(blue, 100, 'blue'), target(green, 0, 'green')],
    });
    expect(running().sort()).toEqual([blue, green]);

    // Promoted: green serves 100 %, blue keeps a tag (what `cutover undo` needs): both run.
    const promoted = await write({
      ...tagged,
      traffic: [target(green, 100, 'green'), target(blue, 0, 'blue')],
    });
    expect(running().sort()).toEqual([blue, green]);

    // Blue loses its tag at 0 %: its process stops.
    const bluePid = p.processes().find((x) => x.revision.endsWith(blue))!.pid;
    const untagged = await write({ ...promoted, traffic: [target(green, 100, 'green')] });
    expect(running()).toEqual([green]);
    for (let i = 0; i < 400 && alive(bluePid); i++) await new Promise((r) => setTimeout(r, 25));
    expect(alive(bluePid)).toBe(false);
    expect(versions(await burst(p.serviceUrl(name), 5))).toEqual({ '5.0.0': 5 });

    // Traffic back on blue: it starts again and serves.
    await write({ ...untagged, traffic: [target(blue, 100, 'blue')] });
    expect(versions(await burst(p.serviceUrl(name), 5))).toEqual({ '4.0.0': 5 });
    // green, untagged at 0 %, still runs: it is the latest ready revision.
    expect(running().sort()).toEqual([blue, green]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
