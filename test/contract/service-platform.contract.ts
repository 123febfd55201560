import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, CutoverError, DeployFailedError } from '../../shared/errors.js';
import type { ServicePlatform, ServiceView } from '../../shared/ports/service-platform.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import type { FakeServiceSeed, FakeStarter, FakeTemplate } from '../fakes/fake-platform.js';

/** What the suite needs beside the port: seeding, a concurrent writer, and a look at templates. */
export interface PlatformHarness {
  platform: ServicePlatform;
  seed(seed: FakeServiceSeed): Promise<void>;
  /** Decides whether new revisions become ready; null restores "ready at once". */
  setStarter(starter: FakeStarter | null): void;
  /** Another writer changes the service (new etag). */
  touch(service: string): Promise<void>;
  template(service: string, revision: string): Promise<FakeTemplate>;
  annotations(service: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const IMAGE = 'us-docker.pkg.dev/p/repo/leakage-model';
const V1 = `${IMAGE}@sha256:${'1'.repeat(64)}`;
const V2 = `${IMAGE}@sha256:${'2'.repeat(64)}`;

export const recordOf = (stable: string, releaseId?: string): ServiceRecord => ({
  stable: { revision: stable, image: V1, color: 'blue' },
  release: releaseId
    ? {
        id: releaseId,
        phase: 'provisioning',
        candidate: { revision: `${stable.split('-')[0]}-green`, image: V2, color: 'green' },
        tag: '2.0.0',
        startedAt: '2026-01-01T00:00:00Z',
      }
    : null,
  failedImages: [],
  history: [],
});

/** The record with its release's candidate named `revision`. */
const withCandidate = (record: ServiceRecord, revision: string): ServiceRecord => ({
  ...record,
  release: record.release
    ? { ...record.release, candidate: { ...record.release.candidate, revision } }
    : null,
});

/** The candidate's revision as the platform named it (the record carries the name). */
const candidateOf = (view: ServiceView): string => view.record?.release?.candidate.revision ?? '';

let counter = 0;

/** A fresh service per test, with a stable revision serving 100% under the `blue` tag. */
function seedFor(): FakeServiceSeed {
  counter += 1;
  const id = `svc${counter}`;
  return {
    name: `projects/p/locations/us-central1/services/${id}`,
    revision: `${id}-00001-blu`,
    image: V1,
    tag: 'blue',
    env: { MODEL_BUCKET: 'gs://blue-logs', LOG_LEVEL: 'info' },
    secretEnv: { API_KEY: { secret: 'model-api-key', version: '3' } },
    serviceAccount: 'model@p.iam.gserviceaccount.com',
    limits: { cpu: '2', memory: '1Gi' },
    labels: { team: 'ml' },
    annotations: { 'team.example.com/owner': 'ml-platform' },
    record: recordOf(`${id}-00001-blu`),
  };
}

/** The ServicePlatform contract; `make` builds a fresh harness (fake, or adapter on the emulator). */
export function servicePlatformContract(label: string, make: () => Promise<PlatformHarness>): void {
  describe(`ServicePlatform contract: ${label}`, () => {
    let h: PlatformHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(() => h.close());
    afterEach(() => h.setStarter(null));

    const seeded = async (): Promise<{
      seed: FakeServiceSeed;
      view: ServiceView;
      green: string;
    }> => {
      const seed = seedFor();
      await h.seed(seed);
      const green = seed.revision.replace('-00001-blu', '-00002-grn');
      return { seed, view: await h.platform.get(seed.name), green };
    };
    const deployGreen = (seed: FakeServiceSeed, green: string) => ({
      traffic: [
        { revision: seed.revision, percent: 100, tag: 'blue' },
        { revision: green, percent: 0, tag: 'green' },
      ],
      record: withCandidate(recordOf(seed.revision, 'r1'), green),
      deploy: {
        revision: green,
        from: seed.revision,
        image: V2,
        env: { MODEL_BUCKET: 'gs://green-logs', COLOR: 'green' },
        color: 'green' as const,
      },
    });

    it('reads the record, the serving traffic with its tag URL, and the etag', async () => {
      const { seed, view } = await seeded();
      expect(view.name).toBe(seed.name);
      expect(view.etag).not.toBe('');
      expect(view.record).toEqual(seed.record);
      expect(view.latestReadyRevision).toBe(seed.revision);
      expect(view.uri).toMatch(/^https?:\/\//);
      expect(view.traffic).toEqual([
        { revision: seed.revision, percent: 100, tag: 'blue', url: expect.stringMatching(/blue/) },
      ]);
    });

    it('writes the record and reads it back; other annotations stay; the etag changes', async () => {
      const { seed, view } = await seeded();
      const record = recordOf(seed.revision, 'release-7');
      const after = await h.platform.update(view, {
        traffic: [{ revision: seed.revision, percent: 100, tag: 'blue' }],
        record,
      });
      expect(after.record).toEqual(record);
      expect(after.etag).not.toBe(view.etag);
      expect((await h.platform.get(seed.name)).record).toEqual(record);
      expect(await h.annotations(seed.name)).toMatchObject({
        'team.example.com/owner': 'ml-platform',
      });
    });

    it('rejects a write with a stale etag as ConflictError and changes nothing', async () => {
      const { seed, view } = await seeded();
      await h.touch(seed.name);
      const write = h.platform.update(view, {
        traffic: [{ revision: seed.revision, percent: 100 }],
        record: recordOf(seed.revision, 'late'),
      });
      await expect(write).rejects.toBeInstanceOf(ConflictError);
      expect((await h.platform.get(seed.name)).record).toEqual(seed.record);
    });

    it('deploys from the service template changing only image, color env and color label', async () => {
      const { seed, view, green: asked } = await seeded();
      const after = await h.platform.update(view, deployGreen(seed, asked));
      // The platform may name the revision itself: the record and the traffic carry that name.
      const green = candidateOf(after);
      expect(after.written).toContainEqual({ revision: green, percent: 0, tag: 'green' });
      const stable = await h.template(seed.name, seed.revision);
      const made = await h.template(seed.name, green);
      expect(made.image).toBe(V2);
      expect(made.env).toEqual({ ...stable.env, MODEL_BUCKET: 'gs://green-logs', COLOR: 'green' });
      expect(made.secretEnv).toEqual(stable.secretEnv);
      expect(made.serviceAccount).toBe(stable.serviceAccount);
      expect(made.limits).toEqual(stable.limits);
      expect(made.labels).toMatchObject({ team: 'ml', 'cutover-color': 'green' });
      expect(await h.platform.revision(seed.name, green)).toMatchObject({
        name: green,
        image: V2,
        state: 'ready',
      });
      expect(after.latestReadyRevision).toBe(green);
      expect(after.latestCreatedRevision).toBe(green);
      expect(after.record).toEqual(withCandidate(recordOf(seed.revision, 'r1'), green));
    });

    it('reports traffic as served, with a URL per tag', async () => {
      const { seed, view, green: asked } = await seeded();
      const deployed = await h.platform.update(view, deployGreen(seed, asked));
      const green = candidateOf(deployed);
      const traffic = [
        { revision: seed.revision, percent: 90, tag: 'blue' },
        { revision: green, percent: 10, tag: 'green' },
      ];
      await h.platform.update(deployed, { traffic, record: recordOf(seed.revision, 'r1') });
      const read = await h.platform.get(seed.name);
      const byTag = Object.fromEntries(read.traffic.map((t) => [t.tag, t]));
      expect(byTag.blue).toMatchObject({ revision: seed.revision, percent: 90 });
      expect(byTag.green).toMatchObject({ revision: green, percent: 10 });
      expect(byTag.green?.url).toMatch(/green/);
      expect(byTag.green?.url).not.toBe(byTag.blue?.url);
      expect(read.written).toEqual(traffic);
    });

    it('raises DeployFailedError when the new revision fails, leaving traffic as it was', async () => {
      const { seed, view, green: asked } = await seeded();
      h.setStarter(() => ({ ready: false, message: 'container failed to listen on PORT=8080' }));
      const error: unknown = await h.platform
        .update(view, deployGreen(seed, asked))
        .catch((e) => e);
      expect(error).toBeInstanceOf(DeployFailedError);
      const read = await h.platform.get(seed.name);
      const green = candidateOf(read);
      expect(error).toMatchObject({ revision: green });
      expect(read.latestCreatedRevision).toBe(green);
      expect(read.traffic).toEqual(view.traffic);
      expect(await h.platform.revision(seed.name, green)).toMatchObject({ state: 'failed' });
    });

    it('leaves the traffic as it was when a failed deploy was to take all of it (a container rollback)', async () => {
      const { seed, view, green: asked } = await seeded();
      h.setStarter(() => ({ ready: false, message: 'container failed to listen on PORT=8080' }));
      const all = deployGreen(seed, asked);
      const error: unknown = await h.platform
        .update(view, { ...all, traffic: [{ revision: asked, percent: 100, tag: 'blue' }] })
        .catch((e) => e);
      expect(error).toBeInstanceOf(DeployFailedError);
      const read = await h.platform.get(seed.name);
      expect(read.traffic).toEqual(view.traffic);
      expect(read.written).toEqual(view.written);
    });

    it('still takes a record-and-traffic write after a failed deploy', async () => {
      const { seed, view, green } = await seeded();
      h.setStarter(() => ({ ready: false, message: 'crash on start' }));
      await expect(h.platform.update(view, deployGreen(seed, green))).rejects.toBeInstanceOf(
        DeployFailedError,
      );
      h.setStarter(null);
      const fresh = await h.platform.get(seed.name);
      const record = recordOf(seed.revision);
      const after = await h.platform.update(fresh, {
        traffic: [{ revision: seed.revision, percent: 100, tag: 'blue' }],
        record,
      });
      expect(after.record).toEqual(record);
      expect(after.traffic).toEqual(view.traffic);
    });

    it('answers null for an unknown revision', async () => {
      const { seed } = await seeded();
      expect(await h.platform.revision(seed.name, `${seed.revision}-nope`)).toBeNull();
    });

    it('rejects traffic to a revision that does not exist, as a permanent error', async () => {
      const { seed, view } = await seeded();
      const write = h.platform.update(view, {
        traffic: [{ revision: 'svc-00042-xyz', percent: 100 }],
        record: recordOf(seed.revision),
      });
      await expect(write).rejects.toBeInstanceOf(CutoverError);
      await expect(write).rejects.toMatchObject({ retryable: false });
    });
  });
}
