import type { ServicesClient } from '@google-cloud/run';
import { splitServiceName } from '../shared/domain/service-ref.js';
import type { ServiceConfig } from '../shared/schemas/config.js';

export interface InitialService {
  config: ServiceConfig;
  /** `image@sha256:…` of the first version (blue). */
  imageByDigest: string;
  /** Env common to both colors (terraform `env`). */
  env?: Record<string, string>;
}

/**
 * Creates the service the way terraform/service.tf does, through the plain Cloud Run client: the
 * first image (here by digest), the runtime service account, port, CPU and memory, scaling, the
 * common env plus blue's color env, `cutover_service` label; no traffic block, so 100% goes to the
 * latest ready revision. Waits for the operation; rejects when the revision does not become ready.
 */
export async function createInitialService(
  client: ServicesClient,
  s: InitialService,
): Promise<void> {
  const parts = splitServiceName(s.config.service);
  if (!parts) throw new Error(`not a full Cloud Run service name: ${s.config.service}`);
  const env = { ...(s.env ?? {}), ...s.config.colors.blue.env };
  const [operation] = await client.createService({
    parent: `projects/${parts.project}/locations/${parts.location}`,
    serviceId: parts.id,
    service: {
      labels: { cutover_service: parts.id },
      ingress: 'INGRESS_TRAFFIC_ALL',
      template: {
        serviceAccount: `${parts.id}-runtime@${parts.project}.iam.gserviceaccount.com`,
        scaling: { minInstanceCount: 0, maxInstanceCount: 10 },
        containers: [
          {
            image: s.imageByDigest,
            ports: [{ containerPort: 8080 }],
            resources: { limits: { cpu: '1', memory: '512Mi' } },
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    },
  });
  const [service] = await operation.promise();
  const state = service.terminalCondition?.state;
  if (state !== 'CONDITION_SUCCEEDED' && state !== 4) {
    const detail = service.terminalCondition?.message ?? String(state);
    throw new Error(`creating ${s.config.service} failed: ${detail}`);
  }
}
