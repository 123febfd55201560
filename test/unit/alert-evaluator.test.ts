import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricServiceClient } from '@google-cloud/monitoring';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudRunSeries } from '../../local/emulator/cloud-run-metrics.js';
import { createMonitoring } from '../../local/emulator/monitoring.js';
import type { MonitoringState } from '../../local/emulator/monitoring.js';
import { AlertEvaluator } from '../../local/alert-evaluator.js';
import type { IncidentNotification } from '../../local/alert-evaluator.js';
import { TERRAFORM_ALERT_DEFAULTS } from '../../local/alert-policies.js';
import { webhookNotifier } from '../../local/alert-webhook.js';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { classifyIncident } from '../../shared/domain/incident-filter.js';
import { parseConfig } from '../../shared/config/load.js';
import { parseIncidentNotification } from '../../shared/schemas/inbound/monitoring-incident.js';
import { clientOptions, serve, testContext } from '../emulator/grpc-server.js';
import type { TestServer } from '../emulator/grpc-server.js';

const PROJECT = 'cutover-demo';
const SERVICE = `projects/${PROJECT}/locations/us-central1/services/leakage-model`;
const PREDICTION = 'logging.googleapis.com/user/cutover-prediction';
const T0 = Date.parse('2026-03-01T12:00:00Z');
const config = parseConfig({
  services: [
    { service: SERVICE, image: 'us-central1-docker.pkg.dev/cutover-demo/models/leakage-model' },
  ],
});

/** `n` requests of which `errors` answer 503, at `latencyMs` each. */
function requests(n: number, errors: number, latencyMs = 10) {
  return Array.from({ length: n }, (_, i) => ({ status: i < errors ? 503 : 200, latencyMs }));
}

describe('alert evaluator: terraform policies over seeded Cloud Run metrics', () => {
  let server: TestServer;
  let monitoring: MonitoringState;
  let client: MetricServiceClient;
  let now = T0;
  let sent: IncidentNotification[];
  const seed = (revision: string, reqs: ReturnType<typeof requests>, predictions?: number[]) =>
    monitoring.write(
      cloudRunSeries({
        project: PROJECT,
        location: 'us-central1',
        service: SERVICE,
        revision,
        start: new Date(now - 10_000),
        end: new Date(now - 5_000),
        requests: reqs,
        ...(predictions ? { predictions } : {}),
      }),
    );
  const evaluator = (overrides: Partial<typeof TERRAFORM_ALERT_DEFAULTS> = {}) =>
    new AlertEvaluator({
      client,
      services: [SERVICE],
      thresholds: { ...TERRAFORM_ALERT_DEFAULTS, durationSeconds: 0, ...overrides },
      predictionMetric: PREDICTION,
      windowSeconds: 30,
      notify: (n) => {
        sent.push(n);
        return Promise.resolve();
      },
      clock: { now: () => new Date(now) },
      logger: memoryLogger(),
    });

  beforeAll(async () => {
    const module = createMonitoring(testContext());
    monitoring = module.state;
    server = await serve(module.services);
    client = new MetricServiceClient({ ...(await clientOptions(server.port)), projectId: PROJECT });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  beforeEach(() => {
    monitoring.clear();
    now = T0;
    sent = [];
  });

  it('opens one incident for the revision above the 5xx ratio, in the 1.2 format revertOnAlert acts on', async () => {
    seed('leakage-model-00001-blu', requests(200, 0));
    seed('leakage-model-00002-grn', requests(100, 10));
    await evaluator().evaluate();

    expect(sent).toHaveLength(1);
    const incident = sent[0]!.incident;
    expect(sent[0]!.version).toBe('1.2');
    expect(incident).toMatchObject({
      state: 'open',
      ended_at: null,
      started_at: Math.floor(T0 / 1000),
      scoping_project_id: PROJECT,
      policy_name: 'cutover leakage-model: 5xx ratio above 0.02',
      policy_user_labels: { cutover_service: 'leakage-model', cutover_check: 'error-ratio' },
      condition_name: '5xx ratio of a leakage-model revision',
      threshold_value: '0.02',
      observed_value: '0.1',
      resource: {
        type: 'cloud_run_revision',
        // Grouped by revision_name: the other labels are aggregated away; project_id stays.
        labels: { project_id: PROJECT, revision_name: 'leakage-model-00002-grn' },
      },
      metric: { type: 'run.googleapis.com/request_count' },
    });
    expect(incident.incident_id).toMatch(/^0\.[a-z0-9]{12}$/);
    expect(incident.url).toBe(
      `https://console.cloud.google.com/monitoring/alerting/incidents/${String(incident.incident_id)}?project=${PROJECT}`,
    );
    const decision = classifyIncident(parseIncidentNotification(sent[0]), config);
    expect(decision).toMatchObject({
      kind: 'opened',
      service: SERVICE,
      revision: 'leakage-model-00002-grn',
    });
  });

  it('stays quiet for healthy revisions and opens nothing twice', async () => {
    seed('leakage-model-00001-blu', requests(200, 2), [0.4, 0.5]);
    const e = evaluator();
    await e.evaluate();
    expect(sent).toEqual([]);
    seed('leakage-model-00002-grn', requests(50, 25));
    await e.evaluate();
    await e.evaluate();
    expect(sent.map((n) => n.incident.state)).toEqual(['open']);
    expect(e.openIncidents()).toHaveLength(1);
  });

  it('closes the incident with ended_at and the same id once the window no longer breaches', async () => {
    seed('leakage-model-00002-grn', requests(100, 50));
    const e = evaluator();
    await e.evaluate();
    now = T0 + 60_000;
    seed('leakage-model-00002-grn', requests(100, 0));
    await e.evaluate();

    expect(sent.map((n) => n.incident.state)).toEqual(['open', 'closed']);
    const [opened, closed] = sent.map((n) => n.incident);
    expect(closed?.incident_id).toBe(opened?.incident_id);
    expect(closed).toMatchObject({ ended_at: Math.floor(now / 1000), observed_value: '0' });
    expect(classifyIncident(parseIncidentNotification(sent[1]), config).kind).toBe('closed');
  });

  it('fires the p95 latency and prediction band policies per revision', async () => {
    seed('leakage-model-00003-slo', requests(100, 0, 300), [0.95, 0.97]);
    await evaluator({ p95LatencyMs: 200, predictionMeanMax: 0.9 }).evaluate();

    const byPolicy = Object.fromEntries(
      sent.map((n) => [n.incident.policy_name as string, n.incident]),
    );
    expect(Object.keys(byPolicy).sort()).toEqual([
      'cutover leakage-model: mean prediction outside [0, 0.9]',
      'cutover leakage-model: p95 latency above 200 ms',
    ]);
    const latency = byPolicy['cutover leakage-model: p95 latency above 200 ms'];
    expect(Number(latency?.observed_value)).toBeGreaterThan(200);
    const drift = byPolicy['cutover leakage-model: mean prediction outside [0, 0.9]'];
    expect(Number(drift?.observed_value)).toBeGreaterThan(0.9);
    expect(drift?.condition_name).toBe('mean prediction of a leakage-model revision above 0.9');
  });

  it('waits durationSeconds of breach before opening', async () => {
    seed('leakage-model-00002-grn', requests(100, 50));
    const e = evaluator({ durationSeconds: 20 });
    await e.evaluate();
    expect(sent).toEqual([]);
    now = T0 + 20_000;
    seed('leakage-model-00002-grn', requests(100, 50));
    await e.evaluate();
    expect(sent.map((n) => n.incident.state)).toEqual(['open']);
  });

  it('posts the notification to the webhook with HTTP Basic auth', async () => {
    const received: Array<{ authorization: string | undefined; body: unknown }> = [];
    const hook: Server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ authorization: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const { port } = hook.address() as AddressInfo;
    try {
      const notify = webhookNotifier({
        url: `http://127.0.0.1:${port}/revertOnAlert`,
        username: 'cutover',
        password: 's3cret',
      });
      seed('leakage-model-00002-grn', requests(100, 50));
      const e = new AlertEvaluator({
        client,
        services: [SERVICE],
        thresholds: { ...TERRAFORM_ALERT_DEFAULTS, durationSeconds: 0 },
        predictionMetric: PREDICTION,
        windowSeconds: 30,
        notify,
        clock: { now: () => new Date(now) },
        logger: memoryLogger(),
      });
      await e.evaluate();
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.authorization).toBe(
      `Basic ${Buffer.from('cutover:s3cret').toString('base64')}`,
    );
    expect(received[0]?.body).toMatchObject({ version: '1.2', incident: { state: 'open' } });
  });
});
