import * as grpc from '@grpc/grpc-js';
import { RevisionsClient, ServicesClient, protos } from '@google-cloud/run';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../local/emulator/index.js';
import { loadProto } from '../../local/emulator/protos.js';
import type { Emulator } from '../../local/emulator/index.js';
import type { RevisionStartResult } from '../../local/emulator/cloud-run.js';

type Service = protos.google.cloud.run.v2.IService;
const { TrafficTargetAllocationType } = protos.google.cloud.run.v2;
const { State } = protos.google.cloud.run.v2.Condition;
const PARENT = 'projects/demo/locations/us-central1';
const IMAGE = 'us-central1-docker.pkg.dev/demo/apps/leakage-model';

let emulator: Emulator;
let services: ServicesClient;
let revisions: RevisionsClient;
let counter = 0;

beforeAll(async () => {
  emulator = await startEmulator();
  const { googleAuthLibrary } = await import('google-gax');
  const options = {
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  };
  services = new ServicesClient(options);
  revisions = new RevisionsClient(options);
});

afterAll(async () => {
  await services.close();
  await revisions.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.run.setRevisionStarter(null);
  emulator.faults.clear();
});

/** Creates a fresh service (one revision, 100% LATEST) and returns it as the operation's result. */
async function createService(): Promise<Service> {
  counter += 1;
  const [operation] = await services.createService({
    parent: PARENT,
    serviceId: `svc-${counter}`,
    service: { template: { containers: [{ image: `${IMAGE}:1.0.0` }] } },
  });
  const [service] = await operation.promise();
  return service;
}

async function update(service: Service): Promise<Service> {
  const [operation] = await services.updateService({ service });
  const [result] = await operation.promise();
  return result;
}

function shortId(fullName: string | null | undefined): string {
  return (fullName ?? '').slice((fullName ?? '').lastIndexOf('/') + 1);
}

async function revisionCount(service: Service): Promise<number> {
  const [list] = await revisions.listRevisions({ parent: service.name! });
  return list.length;
}

function grpcCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

describe('Cloud Run Admin v2 emulator through @google-cloud/run', () => {
  it('creates a service whose LRO resolves to the real Service with full revision names', async () => {
    const service = await createService();
    const name = `${PARENT}/services/svc-${counter}`;
    expect(service.name).toBe(name);
    expect(service.generation?.toString()).toBe('1');
    expect(service.etag).toMatch(/^"C.+"$/);
    expect(service.latestReadyRevision).toMatch(
      new RegExp(`^${name}/revisions/svc-${counter}-00001-[a-z]{3}$`),
    );
    expect(service.latestCreatedRevision).toBe(service.latestReadyRevision);
    expect(service.terminalCondition?.state).toBe(State.CONDITION_SUCCEEDED);
    expect(service.trafficStatuses).toHaveLength(1);
    expect(service.trafficStatuses?.[0]?.type).toBe(
      TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST,
    );
    expect(service.trafficStatuses?.[0]?.percent).toBe(100);
    expect(service.trafficStatuses?.[0]?.revision).toBe('');
    expect(service.uri).toMatch(/^https:\/\/svc-\d+-[a-z0-9]{10}-uc\.a\.run\.app$/);
    const [read] = await services.getService({ name });
    expect(read.etag).toBe(service.etag);
  });

  it('serves a tagged traffic update back in trafficStatuses with the tag uri, without a new revision', async () => {
    const created = await createService();
    const stable = shortId(created.latestReadyRevision);
    const updated = await update({
      ...created,
      traffic: [
        {
          type: TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
          revision: stable,
          percent: 100,
          tag: 'blue',
        },
      ],
    });
    expect(updated.trafficStatuses).toHaveLength(1);
    const status = updated.trafficStatuses![0]!;
    expect(status.revision).toBe(stable);
    expect(status.percent).toBe(100);
    expect(status.tag).toBe('blue');
    expect(status.uri).toMatch(
      new RegExp(`^https://blue---svc-${counter}-[a-z0-9]{10}-uc\\.a\\.run\\.app$`),
    );
    expect(updated.etag).not.toBe(created.etag);
    expect(updated.generation?.toString()).toBe('2');
    expect(await revisionCount(updated)).toBe(1);
  });

  it('rejects a write carrying a stale etag with ABORTED', async () => {
    const created = await createService();
    await update({ ...created, annotations: { 'cutover.dev/phase': 'shifting' } });
    await expect(
      update({ ...created, annotations: { 'cutover.dev/phase': 'promoted' } }),
    ).rejects.toSatisfy((error) => grpcCode(error) === grpc.status.ABORTED);
  });

  it('rejects a write after a concurrent writer touched the service', async () => {
    const created = await createService();
    emulator.run.touch(created.name!);
    await expect(update({ ...created })).rejects.toSatisfy(
      (error) => grpcCode(error) === grpc.status.ABORTED,
    );
  });

  it('rejects traffic that does not add up to 100 with INVALID_ARGUMENT, changing nothing', async () => {
    const created = await createService();
    const stable = shortId(created.latestReadyRevision);
    const REVISION = TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;
    await expect(
      update({ ...created, traffic: [{ type: REVISION, revision: stable, percent: 90 }] }),
    ).rejects.toSatisfy((error) => grpcCode(error) === grpc.status.INVALID_ARGUMENT);
    const [unchanged] = await services.getService({ name: created.name! });
    expect(unchanged.etag).toBe(created.etag);
  });

  it('fails the operation with code 13 when traffic names a revision that does not exist; the old traffic serves', async () => {
    const created = await createService();
    const stable = shortId(created.latestReadyRevision);
    const REVISION = TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;
    const missing = `svc-${counter}-00009-zzz`;
    const [operation] = await services.updateService({
      service: { ...created, traffic: [{ type: REVISION, revision: missing, percent: 100 }] },
    });
    await expect(operation.promise()).rejects.toMatchObject({
      code: grpc.status.INTERNAL,
      message: expect.stringContaining(
        `Revision '${missing}' does not exist or is deleted. Update all traffic to route to currently available revisions.`,
      ),
    });
    const [after] = await services.getService({ name: created.name! });
    // Unary reads carry enums by name.
    expect(after.trafficStatuses?.map((s) => s.type)).toEqual([
      'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
    ]);
    expect(after.terminalCondition?.state).toBe('CONDITION_FAILED');
    expect(shortId(after.latestReadyRevision)).toBe(stable);
  });

  it('makes S-00002-xxx for a template change and no revision for a traffic-only change', async () => {
    const created = await createService();
    const stable = shortId(created.latestReadyRevision);
    const REVISION = TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;
    const deployed = await update({
      ...created,
      template: { ...created.template, containers: [{ image: `${IMAGE}:2.0.0` }] },
      traffic: [{ type: REVISION, revision: stable, percent: 100, tag: 'blue' }],
    });
    expect(shortId(deployed.latestCreatedRevision)).toMatch(
      new RegExp(`^svc-${counter}-00002-[a-z]{3}$`),
    );
    expect(deployed.latestReadyRevision).toBe(deployed.latestCreatedRevision);
    expect(deployed.latestReadyRevision).toMatch(
      new RegExp(`^${PARENT}/services/svc-${counter}/revisions/`),
    );
    expect(await revisionCount(deployed)).toBe(2);
    const green = shortId(deployed.latestCreatedRevision);
    const shifted = await update({
      ...deployed,
      traffic: [
        { type: REVISION, revision: stable, percent: 90, tag: 'blue' },
        { type: REVISION, revision: green, percent: 10, tag: 'green' },
      ],
    });
    expect(await revisionCount(shifted)).toBe(2);
    expect(shifted.latestCreatedRevision).toBe(deployed.latestCreatedRevision);
    expect(shifted.trafficStatuses?.map((s) => [s.revision, s.percent, s.tag])).toEqual([
      [stable, 90, 'blue'],
      [green, 10, 'green'],
    ]);
  });

  it('treats a write without traffic as 100% to the latest ready revision, as the real API does', async () => {
    const created = await createService();
    const REVISION = TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;
    const pinned = await update({
      ...created,
      traffic: [{ type: REVISION, revision: shortId(created.latestReadyRevision), percent: 100 }],
    });
    const reset = await update({ ...pinned, traffic: [] });
    expect(reset.trafficStatuses?.map((s) => [s.type, s.percent, s.revision])).toEqual([
      [TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST, 100, ''],
    ]);
  });

  it('ends the LRO with code 9 (not ready and cannot serve traffic) and unchanged traffic when the new revision fails', async () => {
    const created = await createService();
    const stable = shortId(created.latestReadyRevision);
    let finish: (result: RevisionStartResult) => void = () => undefined;
    emulator.run.setRevisionStarter(() => new Promise((resolve) => (finish = resolve)));
    const REVISION = TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;
    const traffic = [{ type: REVISION, revision: stable, percent: 100, tag: 'blue' }];
    const blue = await update({ ...created, traffic });
    const [operation] = await services.updateService({
      service: {
        ...blue,
        template: { ...blue.template, containers: [{ image: `${IMAGE}:2.0.0` }] },
        traffic: [
          ...traffic,
          {
            type: TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST,
            percent: 0,
            tag: 'green',
          },
        ],
      },
    });
    expect(operation.done).toBe(false);
    const [pending] = await services.getService({ name: created.name! });
    expect(pending.reconciling).toBe(true);
    finish({ ready: false, message: 'container failed the /healthz check' });
    const error = await operation.promise().then(
      () => null,
      (e: { code?: number; message?: string }) => e,
    );
    expect(error?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error?.message).toMatch(
      /^Revision 'svc-\d+-00002-[a-z]{3}' is not ready and cannot serve traffic\. The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable/,
    );
    const [failed] = await services.getService({ name: created.name! });
    expect(failed.terminalCondition?.state).toBe('CONDITION_FAILED');
    expect(failed.terminalCondition?.message).toContain('container failed the /healthz check');
    expect(failed.reconciling).toBe(false);
    expect(failed.latestReadyRevision).toBe(created.latestReadyRevision);
    expect(shortId(failed.latestCreatedRevision)).toMatch(/-00002-[a-z]{3}$/);
    expect(failed.trafficStatuses?.map((s) => [s.revision, s.percent, s.tag])).toEqual([
      [stable, 100, 'blue'],
    ]);
    // The spec keeps what was written; only what serves stays as it was.
    expect(failed.traffic?.map((t) => [t.revision, t.percent, t.tag])).toEqual([
      [stable, 100, 'blue'],
      ['', 0, 'green'],
    ]);
  });

  it('names a new revision after template.revision, refusing a reused name or a foreign prefix', async () => {
    const created = await createService();
    const named = `svc-${counter}-green-001`;
    const deployed = await update({
      ...created,
      template: { ...created.template, revision: named, containers: [{ image: `${IMAGE}:2.0.0` }] },
    });
    expect(deployed.latestCreatedRevision).toBe(`${created.name}/revisions/${named}`);
    const again = update({
      ...deployed,
      template: { ...deployed.template, containers: [{ image: `${IMAGE}:3.0.0` }] },
    });
    await expect(again).rejects.toSatisfy(
      (error) => grpcCode(error) === grpc.status.ALREADY_EXISTS,
    );
    const foreign = update({
      ...deployed,
      template: {
        ...deployed.template,
        revision: 'other-00001-abc',
        containers: [{ image: `${IMAGE}:3.0.0` }],
      },
    });
    await expect(foreign).rejects.toSatisfy(
      (error) => grpcCode(error) === grpc.status.INVALID_ARGUMENT,
    );
    const unchanged = await update({ ...deployed });
    expect(await revisionCount(unchanged)).toBe(2);
  });

  it('answers GetOperation and WaitOperation for a pending operation', async () => {
    const created = await createService();
    let finish: (result: RevisionStartResult) => void = () => undefined;
    emulator.run.setRevisionStarter(() => new Promise((resolve) => (finish = resolve)));
    const [operation] = await services.updateService({
      service: {
        ...created,
        template: { ...created.template, containers: [{ image: `${IMAGE}:2.0.0` }] },
      },
    });
    const Operations = (
      loadProto('gax', 'google/longrunning/operations.proto') as unknown as {
        google: { longrunning: { Operations: grpc.ServiceClientConstructor } };
      }
    ).google.longrunning.Operations;
    const raw = new Operations(emulator.address, grpc.credentials.createInsecure());
    const call = (method: string, request: object) =>
      new Promise<{ name?: string; done?: boolean }>((resolve, reject) =>
        (
          raw[method] as (r: object, cb: (e: Error | null, v: { done?: boolean }) => void) => void
        ).call(raw, request, (error, value) => (error ? reject(error) : resolve(value))),
      );
    const pending = await call('GetOperation', { name: operation.name });
    expect(pending.done).toBe(false);
    const waited = call('WaitOperation', { name: operation.name, timeout: { seconds: 20 } });
    finish({ ready: true });
    expect(await waited).toMatchObject({ name: operation.name, done: true });
    raw.close();
  });

  it('passes an injected UNAVAILABLE on UpdateService to the client as code 14', async () => {
    const created = await createService();
    emulator.faults.inject('google.cloud.run.v2.Services/UpdateService', {
      code: grpc.status.UNAVAILABLE,
      times: 1,
    });
    await expect(update({ ...created })).rejects.toSatisfy((error) => grpcCode(error) === 14);
    const after = await update({ ...created });
    expect(after.generation?.toString()).toBe('2');
  });

  it('tells onChange listeners about completed writes with LATEST resolved', async () => {
    const seen: Array<{ name: string; serving: unknown }> = [];
    const stop = emulator.run.onChange((snapshot) =>
      seen.push({ name: snapshot.name, serving: snapshot.serving }),
    );
    const created = await createService();
    stop();
    expect(seen.at(-1)).toEqual({
      name: created.name,
      serving: [
        { revision: shortId(created.latestReadyRevision), percent: 100, tag: null, uri: null },
      ],
    });
  });
});
