import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ServicesClient, protos } from '@google-cloud/run';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../local/emulator/index.js';
import type { Emulator } from '../../local/emulator/index.js';

const PARENT = 'projects/demo/locations/us-central1';
const IMAGE = 'us-central1-docker.pkg.dev/demo/apps/leakage-model';
const { TrafficTargetAllocationType } = protos.google.cloud.run.v2;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function servicesClient(emulator: Emulator): Promise<ServicesClient> {
  const { googleAuthLibrary } = await import('google-gax');
  const client = new ServicesClient({
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  });
  cleanups.push(() => client.close());
  return client;
}

async function started(stateFile?: string): Promise<Emulator> {
  const emulator = await startEmulator({ stateFile });
  cleanups.push(() => emulator.close());
  return emulator;
}

describe('emulator state', () => {
  it('carries Run and Artifact Registry state across a restart through the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-emulator-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'state.json');

    const first = await started(stateFile);
    const { digest } = await first.registry.push(IMAGE, '1.0.0', { recipe: { cwd: 'examples' } });
    const client = await servicesClient(first);
    const [operation] = await client.createService({
      parent: PARENT,
      serviceId: 'kept',
      service: { template: { containers: [{ image: `${IMAGE}@${digest}` }] } },
    });
    const [service] = await operation.promise();
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toHaveProperty('run.services');

    const second = await started(stateFile);
    const again = await servicesClient(second);
    const [read] = await again.getService({ name: service.name! });
    expect(read.etag).toBe(service.etag);
    expect(read.latestReadyRevision).toBe(service.latestReadyRevision);
    expect(second.registry.tags(IMAGE)).toEqual([{ tag: '1.0.0', digest }]);
    expect(second.registry.recipe(digest)).toEqual({ cwd: 'examples' });
    const revision = read.latestReadyRevision!.slice(
      read.latestReadyRevision!.lastIndexOf('/') + 1,
    );
    const [updating] = await again.updateService({
      service: {
        ...read,
        template: { ...read.template, containers: [{ image: `${IMAGE}:2.0.0` }] },
        traffic: [
          {
            type: TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision,
            percent: 100,
          },
        ],
      },
    });
    const [updated] = await updating.promise();
    expect(updated.latestCreatedRevision).toMatch(/\/revisions\/kept-00002-[a-z]{3}$/);
  });

  it('honours an update mask: only the named fields change, traffic stays', async () => {
    const emulator = await started();
    const client = await servicesClient(emulator);
    const [operation] = await client.createService({
      parent: PARENT,
      serviceId: 'masked',
      service: { template: { containers: [{ image: `${IMAGE}:1.0.0` }] } },
    });
    const [created] = await operation.promise();
    const revision = created.latestReadyRevision!.slice(
      created.latestReadyRevision!.lastIndexOf('/') + 1,
    );
    const [pinning] = await client.updateService({
      service: {
        name: created.name,
        traffic: [
          {
            type: TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION,
            revision,
            percent: 100,
            tag: 'blue',
          },
        ],
      },
      updateMask: { paths: ['traffic'] },
    });
    const [pinned] = await pinning.promise();
    const [annotating] = await client.updateService({
      service: { name: created.name, annotations: { 'cutover.dev/phase': 'idle' } },
      updateMask: { paths: ['annotations'] },
    });
    const [annotated] = await annotating.promise();
    expect(annotated.annotations).toEqual({ 'cutover.dev/phase': 'idle' });
    expect(annotated.trafficStatuses?.map((s) => [s.revision, s.percent, s.tag])).toEqual([
      [revision, 100, 'blue'],
    ]);
    expect(annotated.template?.containers?.[0]?.image).toBe(`${IMAGE}:1.0.0`);
    expect(emulator.run.listRevisions(created.name!)).toHaveLength(1);
    expect(pinned.etag).not.toBe(annotated.etag);
  });

  it('deletes a service with its revisions and tells listeners', async () => {
    const emulator = await started();
    const client = await servicesClient(emulator);
    const [operation] = await client.createService({
      parent: PARENT,
      serviceId: 'gone',
      service: { template: { containers: [{ image: `${IMAGE}:1.0.0` }] } },
    });
    const [created] = await operation.promise();
    const deletions: string[] = [];
    emulator.run.onChange((snapshot) => snapshot.deleted && deletions.push(snapshot.name));
    const [deleting] = await client.deleteService({ name: created.name! });
    const [deleted] = await deleting.promise();
    expect(deleted.name).toBe(created.name);
    expect(deletions).toEqual([created.name]);
    expect(emulator.run.getService(created.name!)).toBeNull();
    expect(emulator.run.listRevisions(created.name!)).toEqual([]);
    await expect(client.getService({ name: created.name! })).rejects.toSatisfy(
      (error) => (error as { code?: number }).code === grpc.status.NOT_FOUND,
    );
  });
});
