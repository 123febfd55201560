import { describe, expect, it } from 'vitest';
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
      'releasePage',
      'revertOnAlert',
      'revertOnAlert',
      'rollback',
    ]);
  });

  it('invokes every event function from a push subscription of a topic the module declares', () => {
    const functions = deployedFunctions();
    expect(functions.filter((f) => f.body.event_trigger)).toEqual([]);
    const sub = mod.resources.google_pubsub_subscription?.trigger ?? {};
    expect(sub.for_each).toBe('${local.event_functions}');
    const push = first(sub.push_config);
    expect(push.push_endpoint).toBe(
      '${google_cloudfunctions2_function.event[each.key].service_config[0].uri}/${each.value.topic}',
    );
    expect(first(push.oidc_token).service_account_email).toBe('${google_service_account.trigger.email}');
    const byEntry: Record<string, string[]> = {};
    for (const f of functions.filter((f) => f.key.startsWith('event['))) {
      const topics = topicsReached(String(sub.topic), f.entry);
      expect(topics, f.key).not.toEqual([]);
      (byEntry[entryPoint(f)] ??= []).push(...topics);
    }
    expect(byEntry).toEqual({
      provisionGreen: ['gcr'],
      advanceRelease: ['deployment_events'],
      rollback: ['rollback_requests'],
      revertOnAlert: ['alert_incidents'],
    });
    // notify (off by default) has its own subscription, dead-lettered like the others.
    const notify = mod.resources.google_pubsub_subscription?.notify ?? {};
    expect(notify.topic).toBe('${google_pubsub_topic.deployment_events.id}');
    expect(first(notify.push_config).push_endpoint).toBe(
      '${google_cloudfunctions2_function.notify[0].service_config[0].uri}/${google_pubsub_topic.deployment_events.id}',
    );
    expect(first(notify.dead_letter_policy).dead_letter_topic).toBe('${google_pubsub_topic.dead_letter.id}');
  });

  it('dead-letters every push subscription and retries with backoff', () => {
    const sub = mod.resources.google_pubsub_subscription?.trigger ?? {};
    expect(first(sub.dead_letter_policy)).toEqual({
      dead_letter_topic: '${google_pubsub_topic.dead_letter.id}',
      max_delivery_attempts: '${var.max_delivery_attempts}',
    });
    expect(first(sub.retry_policy)).toMatchObject({ minimum_backoff: '10s', maximum_backoff: '600s' });
    const agent = mod.resources.google_pubsub_subscription_iam_member?.dead_letter_subscriber;
    expect(agent).toMatchObject({
      for_each: '${local.event_functions}',
      subscription: '${google_pubsub_subscription.trigger[each.key].name}',
      role: 'roles/pubsub.subscriber',
    });
    expect(Object.keys(mod.outputs)).not.toContain('dead_letter_commands');
  });

  it('orders the deployment events per service, and only where publishers set ordering keys', () => {
    const entries = mod.locals.event_functions as Record<string, Body>;
    expect(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.ordered]))).toEqual({
      'provision-green': false,
      'advance-release': true,
      rollback: true,
      'revert-on-alert-pubsub': false,
    });
    expect(mod.resources.google_pubsub_subscription?.trigger?.enable_message_ordering).toBe(
      '${each.value.ordered}',
    );
  });

  it('creates the gcr topic by default, runs nodejs22 and keeps the alert functions warm', () => {
    expect(mod.variables.create_gcr_topic?.default).toBe(true);
    const functions = String(mod.variables.functions?.type);
    expect(functions).toMatch(/runtime\s*=\s*optional\(string,\s*"nodejs22"\)/);
    expect(functions).toMatch(/alert_min_instances\s*=\s*optional\(number,\s*1\)/);
    const webhook = mod.resources.google_cloudfunctions2_function?.revert_on_alert_webhook ?? {};
    expect(first(webhook.service_config).min_instance_count).toBe('${var.functions.alert_min_instances}');
    const event = mod.resources.google_cloudfunctions2_function?.event ?? {};
    expect(first(event.service_config).min_instance_count).toBe(
      '${each.value.alert_transport == null ? 0 : var.functions.alert_min_instances}',
    );
  });

  it('builds as a dedicated account with the documented roles, after IAM has propagated', () => {
    expect(mod.locals.build_roles).toBe(
      '${toset(["roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectAdmin"])}',
    );
    for (const f of deployedFunctions()) {
      expect(first(f.body.build_config).service_account, f.key).toBe('${local.build_service_account}');
      expect(f.body.depends_on, f.key).toContain('${time_sleep.iam_propagation}');
    }
    expect(mod.resources.google_pubsub_subscription?.trigger?.depends_on).toContain(
      '${time_sleep.iam_propagation}',
    );
    expect(mod.resources.time_sleep?.iam_propagation?.create_duration).toBe(
      '${var.iam_propagation_seconds}s',
    );
    expect((mod.locals.apis as string)).not.toContain('eventarc');
  });

  it('draws one dashboard per service with blue vs green charts and the alert thresholds', () => {
    const dashboard = mod.resources.google_monitoring_dashboard?.service ?? {};
    expect(dashboard.for_each).toBe('${var.services}');
    const charts = String(mod.locals.dashboard_charts);
    for (const title of ['Requests per second', '5xx ratio', 'p95 latency', 'Mean prediction'])
      expect(charts).toContain(title);
    for (const threshold of ['s.alerts.max_5xx_ratio', 's.alerts.p95_latency_ms', 's.alerts.prediction_mean_max', 's.alerts.prediction_mean_min'])
      expect(charts).toContain(`value = ${threshold}`);
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
        /^\$\{google_service_account\.(function\[|notify\[0\]|release_page\[0\])/,
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

  it('validates every variable and the service settings', () => {
    for (const [name, v] of Object.entries(mod.variables)) expect(v.validation, name).toBeDefined();
    expect((mod.variables.services?.validation as unknown[]).length).toBeGreaterThanOrEqual(5);
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
