import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../shared/schemas/record-codec.js';
import { first, loadTfFiles, moduleOf } from './hcl.js';
import { referencesIn, unresolvedReferences } from './references.js';

const files = await loadTfFiles();
const mod = moduleOf(files, '');
const example = moduleOf(files, 'examples/basic');

type Body = Record<string, unknown>;

/** google_pubsub_topic resources an expression leads to, following locals and for_each entries. */
function topicsReached(expr: string, forEach: Body | null, seen = new Set<string>()): string[] {
  const topics: string[] = [];
  for (const ref of referencesIn(expr)) {
    if (ref.root === 'google_pubsub_topic' && mod.resources.google_pubsub_topic?.[ref.parts[0] ?? '']) {
      topics.push(ref.parts[0] ?? '');
    } else if (ref.root === 'local' && !seen.has(ref.text)) {
      seen.add(ref.text);
      topics.push(...topicsReached(String(mod.locals[ref.parts[0] ?? '']), forEach, seen));
    } else if (ref.root === 'each' && ref.parts[0] === 'value' && forEach) {
      topics.push(...topicsReached(String(forEach[ref.parts[1] ?? '']), null, seen));
    }
  }
  return topics;
}

/** Each deployed function as (key, its body, the for_each entry it was made from). */
function deployedFunctions(): { key: string; body: Body; entry: Body | null }[] {
  const out: { key: string; body: Body; entry: Body | null }[] = [];
  for (const [name, body] of Object.entries(mod.resources.google_cloudfunctions2_function ?? {})) {
    const forEach = body.for_each;
    if (typeof forEach !== 'string') {
      out.push({ key: name, body, entry: null });
      continue;
    }
    const local = /^\$\{local\.(\w+)\}$/.exec(forEach)?.[1];
    const entries = local ? (mod.locals[local] as Record<string, Body>) : null;
    if (!entries) throw new Error(`function ${name}: cannot follow for_each ${forEach}`);
    for (const [key, entry] of Object.entries(entries)) out.push({ key: `${name}[${key}]`, body, entry });
  }
  return out;
}

function entryPoint(f: { body: Body; entry: Body | null }): string {
  const raw = String(first(f.body.build_config).entry_point);
  return raw === '${each.value.entry_point}' ? String(f.entry?.entry_point) : raw;
}

describe('terraform wiring', () => {
  it('deploys the entry points, revertOnAlert both as webhook and behind Pub/Sub', () => {
    expect(deployedFunctions().map(entryPoint).sort()).toEqual([
      'advanceRelease',
      'notify',
      'provisionGreen',
      'revertOnAlert',
      'revertOnAlert',
      'rollback',
    ]);
  });

  it("triggers every event function from a topic the module declares, with an explicit retry policy", () => {
    const triggered = deployedFunctions().filter((f) => f.body.event_trigger);
    expect(triggered).toHaveLength(5);
    const byEntry: Record<string, string[]> = {};
    for (const f of triggered) {
      const trigger = first(f.body.event_trigger);
      expect(trigger.event_type, f.key).toBe('google.cloud.pubsub.topic.v1.messagePublished');
      expect(trigger.retry_policy, f.key).toMatch(/^RETRY_POLICY_(RETRY|DO_NOT_RETRY)$/);
      const topics = topicsReached(String(trigger.pubsub_topic), f.entry);
      expect(topics, f.key).not.toEqual([]);
      (byEntry[entryPoint(f)] ??= []).push(...topics);
    }
    expect(byEntry).toEqual({
      provisionGreen: ['gcr'],
      advanceRelease: ['deployment_events'],
      notify: ['deployment_events'],
      rollback: ['rollback_requests'],
      revertOnAlert: ['alert_incidents'],
    });
  });

  it('names the topics as cutover expects them', () => {
    const names = Object.fromEntries(
      Object.entries(mod.resources.google_pubsub_topic ?? {}).map(([k, b]) => [k, b.name]),
    );
    expect(names).toMatchObject({
      gcr: 'gcr',
      deployment_events: 'cutover-deployment-events',
      rollback_requests: 'cutover-rollback-requests',
    });
    const deadLetter = mod.resources.google_pubsub_subscription?.dead_letter;
    expect(deadLetter?.topic).toBe('${google_pubsub_topic.dead_letter.id}');
  });

  it('gives every function the rendered config and its own service account', () => {
    for (const f of deployedFunctions()) {
      const service = first(f.body.service_config);
      const env = service.environment_variables;
      // A literal map comes out structured; a merge(...) stays an expression.
      if (typeof env === 'string') expect(env, f.key).toMatch(/CUTOVER_CONFIG\s*=\s*local\.cutover_config_json/);
      else expect((env as Body).CUTOVER_CONFIG, f.key).toBe('${local.cutover_config_json}');
      expect(String(service.service_account_email), f.key).toMatch(
        /^\$\{google_service_account\.(function\[|notify\[0\])/,
      );
    }
  });

  it('fills the webhook credentials from Secret Manager where revertOnAlert runs', () => {
    const webhook = mod.resources.google_cloudfunctions2_function?.revert_on_alert_webhook ?? {};
    const secrets = first(first(first(webhook.service_config).dynamic).secret_environment_variables);
    expect(secrets.for_each).toBe('${local.webhook_secrets}');
    expect(Object.keys(mod.locals.webhook_secrets as Body).sort()).toEqual([
      'CUTOVER_WEBHOOK_PASSWORD',
      'CUTOVER_WEBHOOK_USERNAME',
    ]);
  });

  it('ticks advanceRelease every minute with {"type":"release.tick"}', () => {
    const job = mod.resources.google_cloud_scheduler_job?.tick ?? {};
    const target = first(job.pubsub_target);
    expect(target.topic_name).toBe('${google_pubsub_topic.deployment_events.id}');
    expect(target.data).toMatch(/jsonencode\(\{\s*type\s*=\s*"release\.tick"\s*\}\)/);
    expect(job.schedule).toBe('${var.tick_schedule}');
    expect(mod.variables.tick_schedule?.default).toBe('* * * * *');
  });

  it('resolves every var., local., data., module. and resource reference', () => {
    expect(unresolvedReferences(mod)).toEqual([]);
    expect(unresolvedReferences(example)).toEqual([]);
  });

  it('catches a reference to something undeclared', () => {
    const broken = {
      ...mod,
      locals: { ...mod.locals, typo: '${var.project} ${local.nope} ${google_pubsub_topic.nope.id} ${[for x in var.services : x.y]}' },
      files: [{ path: 'typo.tf', text: '', json: { locals: [{ typo: '${var.project} ${local.nope} ${google_pubsub_topic.nope.id}' }] } }],
    };
    expect(unresolvedReferences(broken)).toEqual([
      'typo.tf: locals.0.typo: variable "project" is not declared',
      'typo.tf: locals.0.typo: local "nope" is not declared',
      'typo.tf: locals.0.typo: resource "google_pubsub_topic" "nope" is not declared',
    ]);
  });

  it('lets the example use only outputs the module declares', () => {
    for (const file of example.files) {
      for (const ref of referencesIn(JSON.stringify(file.json))) {
        if (ref.root === 'module') expect(Object.keys(mod.outputs), ref.text).toContain(ref.parts[1]);
      }
    }
  });

  it('passes the example only inputs the module declares, and every required one', () => {
    const args = Object.keys(example.modules.cutover ?? {}).filter((k) => k !== 'source');
    expect(Object.keys(mod.variables)).toEqual(expect.arrayContaining(args));
    const required = Object.entries(mod.variables).filter(([, v]) => !('default' in v)).map(([k]) => k);
    expect(args).toEqual(expect.arrayContaining(required));
  });

  it.each([
    ['module', mod],
    ['example', example],
  ])('types and describes every variable of the %s', (_name, m) => {
    expect(Object.keys(m.variables).length).toBeGreaterThan(0);
    for (const [name, v] of Object.entries(m.variables)) {
      expect(v.type, name).toMatch(/^\$\{.+\}$/s);
      expect(String(v.description ?? '').trim().length, name).toBeGreaterThan(10);
    }
  });

  it('validates every required variable and the service settings', () => {
    for (const [name, v] of Object.entries(mod.variables)) {
      if (!('default' in v)) expect(v.validation, name).toBeDefined();
    }
    expect((mod.variables.services?.validation as unknown[]).length).toBeGreaterThanOrEqual(5);
  });

  it('leaves image, traffic and the cutover.dev/ annotations to the controller', () => {
    const service = mod.resources.google_cloud_run_v2_service?.managed ?? {};
    const ignored = first(service.lifecycle).ignore_changes as string[];
    const sample = {
      stable: { revision: 'svc-00001-abc', image: 'h/p/r/i@sha256:1', color: 'blue' as const },
      release: {
        phase: 'provisioning' as const,
        id: 'r1',
        candidate: { revision: 'svc-00002-def', image: 'h/p/r/i@sha256:2', color: 'green' as const },
        tag: '2.0.0',
        startedAt: '2026-01-01T00:00:00Z',
      },
      failedImages: [],
      history: [],
    };
    const annotations = Object.keys(encodeRecord(sample)).map((k) => `\${annotations["${k}"]}`);
    expect(annotations).toHaveLength(6);
    expect(ignored).toEqual(
      expect.arrayContaining(['${template[0].containers[0].image}', '${traffic}', ...annotations]),
    );
  });

  it.each(['error_ratio', 'latency', 'prediction_drift'])(
    'alert policy %s names its service, groups by revision and notifies revertOnAlert',
    (name) => {
      const policy = mod.resources.google_monitoring_alert_policy?.[name] ?? {};
      expect(policy.for_each).toBe('${var.services}');
      expect(String(policy.user_labels)).toMatch(/cutover_service\s*=\s*each\.key/);
      expect(policy.notification_channels).toBe('${local.notification_channels}');
      expect(mod.locals.by_revision).toEqual(['resource.label.revision_name']);
      const conditions = policy.conditions as Body[];
      for (const c of conditions) {
        const threshold = first(c.condition_threshold);
        expect(String(threshold.filter)).toContain('${local.service_filter[each.key]}');
        expect(first(threshold.aggregations).group_by_fields).toBe('${local.by_revision}');
      }
    },
  );

  it('measures the 5xx ratio against all requests of the same revision', () => {
    const threshold = first(first(mod.resources.google_monitoring_alert_policy?.error_ratio?.conditions).condition_threshold);
    expect(threshold.filter).toMatch(/response_code_class = \\?"5xx\\?"/);
    expect(threshold.denominator_filter).toMatch(/run\.googleapis\.com\/request_count/);
    expect(first(threshold.denominator_aggregations).group_by_fields).toBe('${local.by_revision}');
  });

  it('reaches revertOnAlert through a Basic-auth webhook and a Pub/Sub channel', () => {
    const channels = mod.resources.google_monitoring_notification_channel ?? {};
    expect(channels.webhook?.type).toBe('webhook_basicauth');
    expect(channels.webhook?.labels).toMatchObject({
      url: '${google_cloudfunctions2_function.revert_on_alert_webhook.url}',
      username: '${var.webhook_username}',
    });
    expect(first(channels.webhook?.sensitive_labels).password).toBe('${random_password.webhook.result}');
    expect(channels.pubsub?.type).toBe('pubsub');
    expect(channels.pubsub?.labels).toEqual({ topic: '${google_pubsub_topic.alert_incidents.id}' });
  });

  it('labels the prediction metric by revision and keeps it a distribution', () => {
    const metric = mod.resources.google_logging_metric?.prediction ?? {};
    expect(metric.label_extractors).toEqual({ revision_name: 'EXTRACT(resource.labels.revision_name)' });
    expect(first(metric.metric_descriptor)).toMatchObject({ metric_kind: 'DELTA', value_type: 'DISTRIBUTION' });
    expect(metric.value_extractor).toBe('EXTRACT(${var.prediction_field})');
  });
});
