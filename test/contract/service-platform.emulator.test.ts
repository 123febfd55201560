import * as grpc from '@grpc/grpc-js';
import type { protos } from '@google-cloud/run';
import { describe, expect, it } from 'vitest';
import { CloudRunPlatform } from '../../shared/adapters/gcp/cloud-run-platform.js';
import { FAST_RETRY } from '../../shared/adapters/gcp/retry.js';
import { PermanentError } from '../../shared/errors.js';
import { encodeRecord } from '../../shared/schemas/record-codec.js';
import type { FakeTemplate } from '../fakes/fake-platform.js';
import { startEmulatorClients, type EmulatorClients } from './emulator-clients.js';
import {
  recordOf,
  servicePlatformContract,
  type PlatformHarness,
} from './service-platform.contract.js';

type Revision = protos.google.cloud.run.v2.IRevision;

/** The first container of a revision in the suite's terms. */
function toTemplate(revision: Revision): FakeTemplate {
  const container = revision.containers?.[0];
  const env: Record<string, string> = {};
  const secretEnv: FakeTemplate['secretEnv'] = {};
  for (const e of container?.env ?? []) {
    const ref = e.valueSource?.secretKeyRef;
    if (ref) secretEnv[e.name ?? ''] = { secret: ref.secret ?? '', version: ref.version ?? '' };
    else env[e.name ?? ''] = e.value ?? '';
  }
  return {
    image: container?.image ?? '',
    env,
    secretEnv,
    serviceAccount: revision.serviceAccount ?? '',
    limits: { ...container?.resources?.limits },
    labels: { ...revision.labels },
  };
}

async function harness(c: EmulatorClients): Promise<PlatformHarness> {
  return {
    platform: new CloudRunPlatform({
      services: c.services,
      revisions: c.revisions,
      retry: FAST_RETRY,
    }),
    seed: async (seed) => {
      const parent = seed.name.slice(0, seed.name.indexOf('/services/'));
      const env = [
        ...Object.entries(seed.env ?? {}).map(([name, value]) => ({ name, value })),
        ...Object.entries(seed.secretEnv ?? {}).map(([name, ref]) => ({
          name,
          valueSource: { secretKeyRef: ref },
        })),
      ];
      const [op] = await c.services.createService({
        parent,
        serviceId: seed.name.slice(seed.name.lastIndexOf('/') + 1),
        service: {
          annotations: { ...seed.annotations, ...(seed.record ? encodeRecord(seed.record) : {}) },
          template: {
            revision: seed.revision,
            serviceAccount: seed.serviceAccount ?? null,
            labels: seed.labels ?? null,
            containers: [{ image: seed.image, env, resources: { limits: seed.limits ?? {} } }],
          },
          traffic: [
            {
              type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
              revision: seed.revision,
              percent: 100,
              tag: seed.tag ?? '',
            },
          ],
        },
      });
      await op.promise();
    },
    setStarter: (starter) =>
      c.emulator.run.setRevisionStarter(
        starter &&
          ((info) =>
            Promise.resolve(
              starter(info.revision, {
                image: info.image,
                env: {},
                secretEnv: {},
                serviceAccount: '',
                limits: {},
                labels: {},
              }),
            )),
      ),
    touch: async (service) => void c.emulator.run.touch(service),
    template: async (service, revision) =>
      toTemplate((await c.revisions.getRevision({ name: `${service}/revisions/${revision}` }))[0]),
    annotations: async (service) => ({
      ...(await c.services.getService({ name: service }))[0].annotations,
    }),
    close: () => c.close(),
  };
}

servicePlatformContract('CloudRunPlatform on the emulator', async () =>
  harness(await startEmulatorClients()),
);

describe('CloudRunPlatform: errors and retries on the wire', () => {
  const seedOne = async (h: PlatformHarness, id: string) => {
    const name = `projects/p/locations/us-central1/services/${id}`;
    await h.seed({
      name,
      revision: `${id}-00001-blu`,
      image: 'us-docker.pkg.dev/p/repo/m@sha256:' + 'a'.repeat(64),
      tag: 'blue',
      record: recordOf(`${id}-00001-blu`),
    });
    return name;
  };

  it('survives UNAVAILABLE on the next two UpdateService calls', async () => {
    const c = await startEmulatorClients();
    try {
      const h = await harness(c);
      const name = await seedOne(h, 'flaky');
      const view = await h.platform.get(name);
      c.emulator.faults.inject('google.cloud.run.v2.Services/UpdateService', {
        code: grpc.status.UNAVAILABLE,
        times: 2,
      });
      const record = recordOf('flaky-00001-blu', 'after-retry');
      const after = await h.platform.update(view, {
        traffic: [{ revision: 'flaky-00001-blu', percent: 100, tag: 'blue' }],
        record,
      });
      expect(after.record).toEqual(record);
    } finally {
      await c.close();
    }
  });

  it('surfaces PERMISSION_DENIED as a PermanentError with its code and message', async () => {
    const c = await startEmulatorClients();
    try {
      const h = await harness(c);
      const name = await seedOne(h, 'denied');
      c.emulator.faults.inject('google.cloud.run.v2.Services/GetService', {
        code: grpc.status.PERMISSION_DENIED,
        message: 'caller lacks run.services.get',
        times: 1,
      });
      const read = h.platform.get(name);
      await expect(read).rejects.toBeInstanceOf(PermanentError);
      await expect(read).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('caller lacks run.services.get'),
      });
    } finally {
      await c.close();
    }
  });
});
