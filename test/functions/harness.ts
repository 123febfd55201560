import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { ServicesClient } from '@google-cloud/run';
import { PubSub } from '@google-cloud/pubsub';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { googleAuthLibrary } from 'google-gax';
import { runtime, setRuntime } from '../../functions/runtime.js';
import '../../functions/index.js';
import { buildDeps } from '../../shared/adapters/wiring.js';
import type { ConfigInput } from '../../shared/schemas/config.js';
import type { ServiceView } from '../../shared/ports/service-platform.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { startEmulator, type Emulator } from '../../local/emulator/index.js';
import { cloudRunSeries } from '../../local/emulator/cloud-run-metrics.js';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { parseConfig } from '../../shared/config/load.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import type { SmokeProber } from '../../shared/ports/smoke-prober.js';
import { ManualClock } from '../fakes/manual-clock.js';

export const PROJECT = 'cutover-test';
export const SERVICE = `projects/${PROJECT}/locations/us-central1/services/leakage`;
export const REPO = `us-central1-docker.pkg.dev/${PROJECT}/models/leakage`;
export const EVENTS_TOPIC = `projects/${PROJECT}/topics/cutover-deployment-events`;
export const WEBHOOK = { username: 'monitoring', password: 's3cret-webhook' };
export const digestOf = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** How a tag URL's upstream answers: the role a revision plays in a test. */
export interface Behaviour {
  status: number;
  body: Record<string, unknown>;
  /** The latency the smoke prober reports for this upstream (default 20 ms), never a measured one. */
  latencyMs?: number;
}
export const healthy: Behaviour = {
  status: 200,
  body: { leakage_probability: 0.42, model_version: '1' },
};

/**
 * The functions, for real, against the emulator: the service exists (like Terraform made it),
 * tag URLs are small HTTP upstreams whose answers a test sets, metrics are seeded into Monitoring.
 * Time is `clock`, shared by the functions and the emulator: it moves only when a test (or
 * `seed`) moves it, so no result depends on how fast the machine is.
 */
export class Harness {
  private constructor(
    readonly clock: ManualClock,
    readonly emulator: Emulator,
    readonly deps: Deps,
    readonly logs: ReturnType<typeof memoryLogger>,
    readonly behaviours: Map<string, Behaviour>,
    private readonly servers: Server[],
  ) {}

  static async start(
    config: Partial<ConfigInput['services'][number]> = {},
    top: Partial<ConfigInput> = {},
  ): Promise<Harness> {
    const clock = new ManualClock();
    const emulator = await startEmulator({ clock });
    const behaviours = new Map<string, Behaviour>();
    // Each tag gets its own URL (its own port), answering as the test sets for that color.
    const servers: Server[] = [];
    const urls: Record<string, string> = {};
    const tagOf = new Map<string, string>();
    for (const tag of ['main', 'blue', 'green']) {
      const upstream = createServer((req, res) => {
        const b = behaviours.get(tag) ?? healthy;
        const health = req.url === '/healthz';
        res.writeHead(health ? 200 : b.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(health ? { status: 'ok' } : b.body));
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      urls[tag] = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      tagOf.set(urls[tag], tag);
      servers.push(upstream);
    }
    emulator.run.setUrlResolver((_s, tag) => urls[tag ?? 'main'] ?? urls.main!);

    const env = {
      ...process.env,
      CUTOVER_EMULATOR_HOST: emulator.address,
      CUTOVER_CONFIG: JSON.stringify({
        services: [
          {
            service: SERVICE,
            image: REPO,
            steps: [50, 100],
            bakeSeconds: 0,
            monitoringLagSeconds: 0,
            thresholds: { minRequests: 20 },
            smoke: {
              routes: [{ method: 'POST', path: '/predict', body: { pressure_bar: 3 }, samples: 2 }],
            },
            colors: {
              blue: { env: { BUCKET: 'blue-logs' } },
              green: { env: { BUCKET: 'green-logs' } },
            },
            ...config,
          },
        ],
        ...top,
      }),
    };
    process.env.CUTOVER_WEBHOOK_USERNAME = WEBHOOK.username;
    process.env.CUTOVER_WEBHOOK_PASSWORD = WEBHOOK.password;
    const logs = memoryLogger();
    const http = new HttpSmokeProber();
    const deps: Deps = {
      ...buildDeps(env, parseConfig(JSON.parse(env.CUTOVER_CONFIG)), clock),
      logger: logs,
      prober: () => declaredLatency(http, (url) => behaviours.get(tagOf.get(url) ?? 'main')),
    };
    setRuntime(deps);
    await createService(emulator, config.image ?? REPO);
    const pubsub = new PubSub({
      projectId: PROJECT,
      apiEndpoint: emulator.address,
      sslCreds: grpc.credentials.createInsecure(),
      authClient: new googleAuthLibrary.PassThroughClient(),
    } as never);
    for (const t of ['cutover-deployment-events', 'cutover-rollback-requests', 'gcr'])
      await pubsub.createTopic(t);
    await pubsub.close();
    return new Harness(clock, emulator, deps, logs, behaviours, servers);
  }

  async stop(): Promise<void> {
    setRuntime(null);
    for (const s of this.servers) await new Promise((r) => s.close(r));
    await this.emulator.close();
  }

  view(): Promise<ServiceView> {
    return this.deps.platform().get(SERVICE);
  }

  /** Percent per revision as the service reports serving it. */
  async split(): Promise<Record<string, number>> {
    const view = await this.view();
    return Object.fromEntries(
      view.traffic.filter((t) => t.percent > 0).map((t) => [t.revision, t.percent]),
    );
  }

  /**
   * Passes both steps of the test config on seeded, passing metrics: blue and green, a tick (the
   * step after the first); green again, a tick (the last step, which promotes). `tick` is the
   * calling file's own, as each numbers its slots.
   */
  async passBothSteps(
    revisions: { blue: string; green: string },
    tick: () => Promise<unknown>,
  ): Promise<void> {
    this.seed(revisions.blue);
    this.seed(revisions.green);
    await tick();
    this.seed(revisions.green);
    await tick();
  }

  /**
   * Seeds `requests` observations (400 unless told) for a revision over the next second: the
   * clock moves on 1 s, so the points end after the current step began and no later than the
   * next tick's now. 400 a side is enough for a clean green to pass the last step at its first
   * planned look (promoteAlpha 0.01: look 1 at 0.004, planned at ~134 effective requests).
   */
  seed(
    revision: string,
    o: { requests?: number; errors?: number; latencyMs?: number; prediction?: number } = {},
  ): void {
    const n = o.requests ?? 400;
    const end = this.clock.advance(1000);
    const requests = Array.from({ length: n }, (_, i) => ({
      status: i < (o.errors ?? 0) ? 503 : 200,
      latencyMs: o.latencyMs ?? 40 + (i % 10),
    }));
    const predictions = Array.from({ length: n }, () => o.prediction ?? 0.42);
    const series = cloudRunSeries({
      project: PROJECT,
      location: 'us-central1',
      service: 'leakage',
      revision,
      start: new Date(end.getTime() - 1000),
      end,
      requests,
      predictions,
    });
    (this.emulator as unknown as { monitoring: { write(s: unknown): void } }).monitoring.write(
      series,
    );
  }

  /** Events published to cutover-deployment-events so far, decoded. */
  events(): Array<Record<string, unknown>> {
    const pubsub = (
      this.emulator as unknown as {
        pubsub: { published(t: string): Array<{ data?: Buffer | string }> };
      }
    ).pubsub;
    return pubsub
      .published(EVENTS_TOPIC)
      .map((m) => JSON.parse(Buffer.from(m.data ?? '').toString()) as Record<string, unknown>);
  }
  eventTypes(): string[] {
    return this.events().map((e) => String(e.type));
  }
}

/** Creates the service as Terraform would: v1 by digest, env, secret, service account, resources. */
async function createService(emulator: Emulator, repo: string): Promise<void> {
  const client = new ServicesClient({
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  });
  const [op] = await client.createService({
    parent: `projects/${PROJECT}/locations/us-central1`,
    serviceId: 'leakage',
    service: {
      template: {
        serviceAccount: `leakage-runtime@${PROJECT}.iam.gserviceaccount.com`,
        scaling: { minInstanceCount: 1, maxInstanceCount: 4 },
        containers: [
          {
            image: `${repo}@${digestOf(1)}`,
            env: [
              { name: 'BUCKET', value: 'blue-logs' },
              { name: 'MODEL_THRESHOLD', value: '0.7' },
              {
                name: 'API_KEY',
                valueSource: { secretKeyRef: { secret: 'model-api-key', version: 'latest' } },
              },
            ],
            resources: { limits: { cpu: '2', memory: '1Gi' } },
          },
        ],
      },
    },
  });
  await op.promise();
  await client.close();
}

/** The smoke prober's real HTTP probes, each reporting the latency its upstream declares. */
function declaredLatency(
  http: SmokeProber,
  behaviourOf: (baseUrl: string) => Behaviour | undefined,
): SmokeProber {
  return {
    probe: async (baseUrl, route, options) => ({
      ...(await http.probe(baseUrl, route, options)),
      latencyMs: behaviourOf(baseUrl)?.latencyMs ?? 20,
    }),
  };
}

let deliveries = 0;

/**
 * Delivers `body` to a CloudEvent function as Eventarc does: binary mode, Pub/Sub message,
 * published at the running harness's now unless `publishTime` says otherwise.
 */
export async function deliver(
  fn: string,
  topic: string,
  body: unknown,
  options: { raw?: string; publishTime?: Date; id?: string } = {},
): Promise<number> {
  const data = options.raw ?? Buffer.from(JSON.stringify(body)).toString('base64');
  // A redelivery of one message carries its id (and publish time) again.
  const id = options.id ?? `m-${++deliveries}`;
  const time = (options.publishTime ?? runtime().clock.now()).toISOString();
  return post(fn, {
    headers: {
      'content-type': 'application/json',
      'ce-id': id,
      'ce-source': `//pubsub.googleapis.com/projects/${PROJECT}/topics/${topic}`,
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-time': time,
    },
    body: JSON.stringify({
      subscription: `projects/${PROJECT}/subscriptions/${topic}-sub`,
      message: { data, messageId: id, message_id: id, publishTime: time, publish_time: time },
    }),
  }).then((r) => r.status);
}

/** POSTs to a registered function through the functions-framework's own test server. */
export async function post(
  fn: string,
  init: { headers: Record<string, string>; body: string; path?: string },
): Promise<{ status: number; json: unknown }> {
  const server = getTestServer(fn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${init.path ?? '/'}`, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      json = text; // the framework's own error pages are not JSON
    }
    return { status: res.status, json };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

export const basic = (u: string, p: string) =>
  `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
