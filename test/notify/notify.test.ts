import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpWebhookPoster } from '../../shared/adapters/notify/http-webhook-poster.js';
import { parseConfig } from '../../shared/config/load.js';
import { DeploymentEvent, type ReleaseEvent } from '../../shared/schemas/events.js';
import { notifyRelease } from '../../shared/usecases/notify.js';
import { WebhookReceiver } from './webhook-receiver.js';

const SERVICE = 'projects/acme/locations/europe-west1/services/leakage-model';
const config = parseConfig({
  releasePageUrl: 'https://cutover-ui.example.com',
  services: [
    {
      service: SERVICE,
      image: 'europe-west1-docker.pkg.dev/acme/models/leakage-model',
      notify: { slackWebhookEnv: 'SLACK_URL', chatWebhookEnv: 'CHAT_URL' },
    },
  ],
});
const slot = (revision: string, color: 'blue' | 'green') => ({
  revision,
  image: `europe-west1-docker.pkg.dev/acme/models/leakage-model@sha256:${'a'.repeat(64)}`,
  color,
});
const verdict = {
  outcome: 'fail' as const,
  critical: false,
  at: '2026-11-28T10:10:00Z',
  window: { start: '2026-11-28T10:04:00Z', end: '2026-11-28T10:09:00Z' },
  checks: [
    {
      check: 'error-rate' as const,
      outcome: 'fail' as const,
      observed: 0.061,
      baseline: 0.002,
      limit: 0.02,
      samples: 1200,
      critical: false,
      reason: '5xx 6.10% > 2.00% (95% interval 4.9%–7.5%)',
    },
    {
      check: 'p95-latency' as const,
      outcome: 'pass' as const,
      observed: 120,
      baseline: 110,
      limit: 126,
      samples: 1200,
      critical: false,
      reason: 'within',
    },
  ],
};
const base = {
  service: SERVICE,
  releaseId: '20261128t100000-ab12',
  step: 1,
  percent: 25,
  at: '2026-11-28T10:10:00Z',
  verdict: null,
};
const events: unknown[] = [
  {
    ...base,
    type: 'release.provisioned',
    step: null,
    percent: 0,
    candidate: slot('leakage-model-r1', 'green'),
    stable: slot('leakage-model-00001', 'blue'),
  },
  {
    ...base,
    type: 'release.smoke-passed',
    step: null,
    percent: 0,
    smoke: { passed: true, checks: [{ name: 'GET /', passed: true, detail: '200' }] },
  },
  { ...base, type: 'release.step-started' },
  {
    ...base,
    type: 'release.verdict',
    decision: 'stalled',
    verdict: { ...verdict, outcome: 'inconclusive' },
  },
  {
    ...base,
    type: 'release.promoted',
    percent: 100,
    stable: slot('leakage-model-r1', 'green'),
    rollbackTag: 'rollback-20261128t101000z',
    requestedBy: 'ana@acme.com',
  },
  {
    ...base,
    type: 'release.rolled-back',
    percent: 0,
    trigger: 'analysis',
    reason: 'error-rate failed twice',
    requestedBy: null,
    stable: slot('leakage-model-00001', 'blue'),
    verdict,
    failedChecks: [verdict.checks[0]],
  },
  { ...base, type: 'release.superseded', supersededBy: 'r2' },
  { ...base, type: 'release.rejected', image: 'x@sha256:1', reason: 'a release is active' },
  { ...base, type: 'release.paused', requestedBy: 'bo@acme.com' },
  { ...base, type: 'release.resumed', requestedBy: 'bo@acme.com' },
  { ...base, type: 'release.failed', error: 'PERMISSION_DENIED' },
];

describe('notify: release events to Slack and Google Chat webhooks', () => {
  const receiver = new WebhookReceiver();
  let env: Record<string, string>;
  beforeAll(async () => {
    await receiver.start();
    env = { SLACK_URL: `${receiver.url}/slack`, CHAT_URL: `${receiver.url}/chat` };
  });
  afterAll(() => receiver.stop());
  const deps = () => ({ config, poster: new HttpWebhookPoster(), logger: memoryLogger(), env });

  it.each(events.map((e) => [(e as { type: string }).type, e]))(
    '%s: both payloads match the documented shapes',
    async (_type, raw) => {
      const event = DeploymentEvent.parse(raw) as ReleaseEvent;
      const before = receiver.received.length;
      expect(await notifyRelease(deps(), event)).toEqual({ kind: 'posted', to: ['slack', 'chat'] });
      const got = receiver.received.slice(before);
      expect(got.map((r) => [r.path, r.problems])).toEqual([
        ['/slack', []],
        ['/chat', []],
      ]);
      expect(got.every((r) => r.contentType === 'application/json; charset=UTF-8')).toBe(true);
    },
  );

  it('says what happened, the numbers behind the verdict, who acted, and links', async () => {
    const event = DeploymentEvent.parse(events[5]) as ReleaseEvent;
    const before = receiver.received.length;
    await notifyRelease(deps(), event);
    const [slack, chat] = receiver.received.slice(before).map((r) => JSON.stringify(r.body));
    for (const text of [slack, chat]) {
      expect(text).toContain('leakage-model · rolled back (analysis)');
      expect(text).toContain('error-rate failed twice');
      expect(text).toContain('6.10% vs 0.20%, limit 2.00%, n=1200');
      expect(text).toContain('95% interval 4.9%–7.5%');
      expect(text).toContain(
        'https://cutover-ui.example.com/services/projects%2Facme%2Flocations%2Feurope-west1%2Fservices%2Fleakage-model',
      );
      expect(text).toContain(
        'https://console.cloud.google.com/run/detail/europe-west1/leakage-model/revisions?project=acme',
      );
    }
    const promoted = DeploymentEvent.parse(events[4]) as ReleaseEvent;
    const at = receiver.received.length;
    await notifyRelease(deps(), promoted);
    expect(JSON.stringify(receiver.received[at]?.body)).toContain('ana@acme.com');
  });

  it('a 5xx is retried; a 4xx is permanent and rejects', async () => {
    const event = DeploymentEvent.parse(events[2]) as ReleaseEvent;
    receiver.failNext(503);
    expect(await notifyRelease(deps(), event)).toMatchObject({ kind: 'posted' });
    receiver.failNext(404);
    await expect(notifyRelease(deps(), event)).rejects.toThrow(/HTTP 404/);
  });

  it('events outside notify.events, and services without notify settings, are skipped', async () => {
    const only = parseConfig({
      services: [
        {
          ...config.services[0]!,
          notify: { slackWebhookEnv: 'SLACK_URL', events: ['release.promoted'] },
        },
      ],
    });
    const event = DeploymentEvent.parse(events[2]) as ReleaseEvent;
    expect(await notifyRelease({ ...deps(), config: only }, event)).toMatchObject({
      kind: 'skipped',
      reason: /not in notify.events/,
    });
    const none = parseConfig({
      services: [{ service: SERVICE, image: config.services[0]!.image }],
    });
    expect(await notifyRelease({ ...deps(), config: none }, event)).toMatchObject({
      kind: 'skipped',
    });
  });
});
