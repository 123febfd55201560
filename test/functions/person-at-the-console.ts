import type { protos } from '@google-cloud/run';
import { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { emulatorClientOptions } from '../../shared/adapters/gcp/client-options.js';
import type { Harness } from './harness.js';
import { PROJECT, SERVICE } from './harness.js';

type Target = protos.google.cloud.run.v2.ITrafficTarget;
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

/**
 * What a person does with gcloud during a release, through the real client library against the
 * emulator: `update-traffic`, `revisions delete`, `deploy`. Nothing of cutover's is used.
 */
export class PersonAtTheConsole {
  private readonly services: ServicesClient;
  private readonly revisions: RevisionsClient;

  constructor(h: Harness) {
    const options = emulatorClientOptions({ host: '127.0.0.1', port: h.emulator.port }, PROJECT);
    this.services = new ServicesClient(options.gapic);
    this.revisions = new RevisionsClient(options.gapic);
  }

  /** `gcloud run services update-traffic --to-revisions=…` (with `--set-tags` when given). */
  async updateTraffic(split: Array<{ revision: string; percent: number; tag?: string }>) {
    const [service] = await this.services.getService({ name: SERVICE });
    const traffic: Target[] = split.map((t) => ({ type: REVISION, ...t }));
    const [op] = await this.services.updateService({ service: { ...service, traffic } });
    await op.promise();
  }

  /** `gcloud run revisions delete`. */
  async deleteRevision(revision: string) {
    const [op] = await this.revisions.deleteRevision({ name: `${SERVICE}/revisions/${revision}` });
    await op.promise();
  }

  /**
   * `gcloud run deploy --image …` (with `--revision-suffix` when `revision` is given): a new
   * revision from the service's template taking 100%.
   */
  async deploy(image: string, revision = ''): Promise<string> {
    const [service] = await this.services.getService({ name: SERVICE });
    const template = service.template!;
    const containers = (template.containers ?? []).map((c, i) => (i === 0 ? { ...c, image } : c));
    const [op] = await this.services.updateService({
      service: {
        ...service,
        template: { ...template, revision, containers },
        traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      },
    });
    const [done] = await op.promise();
    return String(done.latestReadyRevision).split('/').pop()!;
  }

  /** `gcloud run services update --update-annotations key=value` (no new revision). */
  async annotate(key: string, value: string) {
    const [service] = await this.services.getService({ name: SERVICE });
    const annotations = { ...service.annotations, [key]: value };
    const [op] = await this.services.updateService({
      service: { name: SERVICE, annotations },
      updateMask: { paths: ['annotations'] },
    });
    await op.promise();
  }

  /** The service as GetService answers it, for a test to write back later (a stale read). */
  async read() {
    const [service] = await this.services.getService({ name: SERVICE });
    return service;
  }

  /** A maskless UpdateService of `service` as given: what a read-modify-write client sends. */
  async writeBack(service: protos.google.cloud.run.v2.IService) {
    const [op] = await this.services.updateService({ service });
    await op.promise();
  }

  /** `gcloud run services update --ingress internal` (no new revision). */
  async setIngress(ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' | 'INGRESS_TRAFFIC_ALL') {
    const [service] = await this.services.getService({ name: SERVICE });
    const [op] = await this.services.updateService({ service: { ...service, ingress } });
    await op.promise();
  }

  async close() {
    await this.services.close();
    await this.revisions.close();
  }
}
