import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runExplain, type ExplainOptions } from '../../cli/explain.js';

const path = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const fixturePath = (name: string) => path(`../fixtures/${name}`);
const fixture = (name: string) => JSON.parse(readFileSync(fixturePath(name), 'utf8'));
const ROOT = path('../../');
const HELLO_CONFIG = fixturePath('hello-world.config.json');
const SERVICE = 'projects/my-project/locations/us-west1/services/hello-world';
const REPO = 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world';
const EXPECTED =
  'expected an Artifact Registry notification, a Pub/Sub push envelope or CloudEvent, a Cloud Monitoring incident notification, a rollback request or a deployment event';
const notInbound = (what: string) =>
  `invalid payload: (root): ${what}, not a payload cutover receives; ${EXPECTED}`;

/** Runs the command in-process on an in-memory file; `payload` is JSON-encoded unless a string. */
function explain(payload: unknown, options: ExplainOptions = { config: HELLO_CONFIG }) {
  const out: string[] = [];
  const err: string[] = [];
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const code = runExplain('payload.json', options, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readFile: () => text,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');
const pushEnvelope = (data: unknown) => ({
  message: {
    data: b64(data),
    messageId: '11',
    message_id: '11',
    publishTime: '2026-01-01T00:00:00Z',
  },
  subscription: 'projects/my-project/subscriptions/gcr-push',
});
const cloudEvent = (data: unknown) => {
  const ce = fixture('pubsub-cloudevent-message-published.json');
  return { ...ce, data: { ...ce.data, message: { ...ce.data.message, data: b64(data) } } };
};

const CLOSED_IGNORED =
  'ignored: policy "Monitor-Project-Cluster" names no service: no cutover_service policy label and no resource service_name';
const RELEASE_LINE = `start release of sha256:6ec128e26cd5${'0'.repeat(52)} on ${SERVICE} (tag 1.1; unless the digest already failed or is already deployed)`;
const OPEN_IGNORED =
  'ignored: policy "choonho-server-cpu-alert-policy-test" names no service: no cutover_service policy label and no resource service_name';

describe('cutover explain: every shared fixture', () => {
  it.each([
    [
      'artifact-registry-delete.json',
      0,
      'ignored: DELETE: a removed tag or image never starts a release',
    ],
    ['artifact-registry-insert-tag.json', 0, RELEASE_LINE],
    ['monitoring-webhook-incident-closed.json', 0, CLOSED_IGNORED],
    ['monitoring-webhook-incident-open.json', 0, OPEN_IGNORED],
    [
      'pubsub-cloudevent-message-published.json',
      2,
      `invalid Pub/Sub message data: data.message.data: not JSON (Unexpected token 'e', "test message 3" is not valid JSON); starts "test message 3"`,
    ],
    [
      'pubsub-push-envelope.json',
      2,
      `invalid Pub/Sub message data: message.data: not JSON (Unexpected token 'H', "Hello Clou"... is not valid JSON); starts "Hello Cloud Pub/Sub! Here is my message!"`,
    ],
    ['artifact-registry-tag.json', 2, notInbound('an Artifact Registry Tag resource')],
    [
      'artifact-registry-list-tags-requests.json',
      2,
      notInbound('an object with keys byTagName, byTagNameWildcard, byVersion'),
    ],
    ['cloud-run-release-manager-annotations.json', 2, notInbound('a map of annotations')],
    [
      'cloud-run-v1-service-tagged-gcloud.json',
      2,
      notInbound('a Cloud Run v1 (Knative) Service resource'),
    ],
    ['cloud-run-v2-service.json', 2, notInbound('a Cloud Run v2 Service resource or update body')],
    [
      'cloud-run-v2-update-request-body.json',
      2,
      notInbound('a Cloud Run v2 Service resource or update body'),
    ],
    ['cloud-run-v2-traffic-tagged-spec.json', 2, notInbound('a Cloud Run traffic spec')],
    ['cloud-run-v2-update-operation-done.json', 2, notInbound('a long-running operation')],
    ['cloud-run-v2-update-operation-pending.json', 2, notInbound('a long-running operation')],
    [
      'monitoring-list-timeseries-request.json',
      2,
      notInbound(
        'an object with keys latencyP95, latencyP99, requestCount, errorRateByResponseCodeClass',
      ),
    ],
    [
      'monitoring-timeseries-response.json',
      2,
      notInbound('a Cloud Monitoring ListTimeSeries response'),
    ],
  ])('%s → exit %i: %s', (name, code, line) => {
    const r = explain(readFileSync(fixturePath(name), 'utf8'));
    expect(r.code).toBe(code);
    expect(code === 0 ? r.out : r.err).toBe(line);
    expect(code === 0 ? r.err : r.out).toBe('');
  });

  it('uses the sample config when --config is absent: it follows no hello-world image', () => {
    expect(explain(fixture('artifact-registry-insert-tag.json'), {}).out).toBe(
      `ignored: no service follows image ${REPO}`,
    );
  });
});

describe('cutover explain: payloads inside Pub/Sub deliveries', () => {
  const insert = fixture('artifact-registry-insert-tag.json');
  const runIncident = {
    ...fixture('monitoring-webhook-incident-open.json'),
    version: '1.2',
  };
  runIncident.incident = {
    ...runIncident.incident,
    resource: {
      type: 'cloud_run_revision',
      labels: { project_id: 'my-project', service_name: 'hello-world', location: 'us-west1' },
    },
  };
  const headers = {
    'ce-id': '5',
    'ce-source': '//pubsub.googleapis.com/projects/my-project/topics/gcr',
    'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
    'ce-specversion': '1.0',
    'ce-time': '2026-01-01T00:00:00Z',
  };

  it.each([
    ['a push envelope', pushEnvelope(insert)],
    ['a structured CloudEvent', cloudEvent(insert)],
    [
      'a binary-mode capture { headers, body }',
      { headers, body: { subscription: 's', message: { data: b64(insert) } } },
    ],
    [
      'a binary-mode capture with a string body',
      { headers, body: JSON.stringify({ message: { data: b64(insert) } }) },
    ],
    [
      'a legacy event without subscription',
      { data: { message: { '@type': 'x', messageId: '1', publishTime: 't', data: b64(insert) } } },
    ],
    [
      'a gen1 background event',
      { context: { eventId: '1', timestamp: 't' }, data: { '@type': 'x', data: b64(insert) } },
    ],
  ])('explains an AR notification in %s', (_name, payload) => {
    expect(explain(payload)).toEqual({ code: 0, out: RELEASE_LINE, err: '' });
  });

  it('explains an incident from the Pub/Sub notification channel', () => {
    expect(explain(pushEnvelope(runIncident)).out).toBe(
      `revert ${SERVICE} to its stable revision (incident 0.mtdi83m6w8ao)`,
    );
  });

  it('prints { kind, action, detail } and the envelope with --json', () => {
    const r = explain(pushEnvelope(insert), { config: HELLO_CONFIG, json: true });
    expect(JSON.parse(r.out)).toEqual({
      kind: 'artifact-registry-notification',
      action: 'start-release',
      detail: RELEASE_LINE,
      envelope: {
        type: 'pubsub-push',
        messageId: '11',
        publishTime: '2026-01-01T00:00:00Z',
        subscription: 'projects/my-project/subscriptions/gcr-push',
      },
    });
    expect(
      JSON.parse(explain(fixture('monitoring-webhook-incident-closed.json'), { json: true }).out),
    ).toEqual({
      kind: 'monitoring-incident',
      action: 'ignore',
      detail: CLOSED_IGNORED,
    });
  });
});

describe('cutover explain: every payload kind and decision', () => {
  const slot = (color: string) => ({
    revision: `hello-world-${color}`,
    image: `${REPO}@sha256:aa`,
    color,
  });
  const base = {
    service: SERVICE,
    releaseId: 'r1',
    step: null,
    percent: 0,
    at: '2026-01-01T00:00:00Z',
  };
  const UNLESS = 'unless the release record has moved on';

  it.each([
    [
      { action: 'INSERT', digest: `${REPO}@sha256:${'a'.repeat(64)}` },
      'ignored: no tag: a digest-only INSERT (untagged push)',
    ],
    [
      {
        action: 'INSERT',
        digest: `${REPO}@sha256:${'a'.repeat(64)}`,
        tag: `${REPO}:rollback-20260101`,
      },
      "ignored: tag rollback-20260101 is under rollback-, reserved for cutover's own rollback tags: it never starts a release",
    ],
    [
      {
        action: 'INSERT',
        digest: `${REPO}@sha256:${'a'.repeat(64)}`,
        tag: `${REPO}:sha256-aa.sig`,
      },
      'ignored: signature/attestation tag sha256-aa.sig',
    ],
    [
      { version: 'test', incident: { state: 'OPEN', ended_at: 0, documentation: 'test' } },
      'ignored: test notification',
    ],
    [
      {
        version: '1.2',
        incident: {
          incident_id: 'i-1',
          state: 'open',
          scoping_project_id: 'my-project',
          policy_user_labels: { cutover_service: 'hello-world' },
        },
      },
      `revert ${SERVICE} to its stable revision (incident i-1)`,
    ],
    [
      { service: 'hello-world', mode: 'traffic', reason: 'p95 doubled', requestedBy: 'ana' },
      `rollback ${SERVICE} (traffic), requested by ana: p95 doubled`,
    ],
    [
      { service: SERVICE, mode: 'container', reason: 'bad model', requestedBy: 'ana' },
      `rollback ${SERVICE} (container), requested by ana: bad model`,
    ],
    [
      { service: 'other', mode: 'traffic', reason: 'x', requestedBy: 'ana' },
      'ignored: other is not a configured service',
    ],
    [
      { ...base, type: 'release.provisioned', candidate: slot('green'), stable: slot('blue') },
      `smoke test candidate hello-world-green of ${SERVICE} against stable hello-world-blue (release r1; ${UNLESS})`,
    ],
    [
      { ...base, type: 'release.smoke-passed', smoke: { passed: true, checks: [] } },
      `start the first step of ${SERVICE}: 10% to the candidate (release r1; ${UNLESS})`,
    ],
    [{ type: 'release.tick' }, 'analyse the current step of every configured service (2)'],
    [
      { type: 'release.tick', service: SERVICE },
      `analyse the current step of ${SERVICE}: hold, advance, promote or roll back`,
    ],
    [
      { type: 'operator.pause', service: 'hello-world', requestedBy: 'ana' },
      `pause the active release of ${SERVICE} (requested by ana)`,
    ],
    [
      { type: 'operator.promote', service: 'projects/x/locations/y/services/z' },
      'ignored: projects/x/locations/y/services/z is not a configured service',
    ],
    [
      { ...base, type: 'release.promoted', stable: slot('green'), rollbackTag: null },
      `ignored: release.promoted reports what happened to ${SERVICE}; nothing to do`,
    ],
  ])('%j → %s', (payload, line) => {
    expect(explain(payload)).toEqual({ code: 0, out: line, err: '' });
  });
});

describe('cutover explain: malformed input exits 2 and names the field', () => {
  const insert = fixture('artifact-registry-insert-tag.json');
  const closed = fixture('monitoring-webhook-incident-closed.json');
  const truncated = (name: string) => {
    const text = readFileSync(fixturePath(name), 'utf8');
    return text.slice(0, Math.floor(text.length / 2));
  };

  it.each([
    ['artifact-registry-insert-tag.json'],
    ['artifact-registry-delete.json'],
    ['monitoring-webhook-incident-closed.json'],
    ['monitoring-webhook-incident-open.json'],
    ['pubsub-cloudevent-message-published.json'],
    ['pubsub-push-envelope.json'],
  ])('truncated %s', (name) => {
    const r = explain(truncated(name));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^invalid JSON: payload\.json: /);
    expect(r.out).toBe('');
  });

  it.each([
    [
      { ...insert, action: 'PUSH' },
      'invalid Artifact Registry notification: action: expected "INSERT" or "DELETE"',
    ],
    [
      { action: 'INSERT' },
      'invalid Artifact Registry notification: digest: a notification must carry a digest or a tag reference',
    ],
    [
      { ...insert, tag: '1.1' },
      'invalid Artifact Registry notification: tag: not a usable image reference "1.1": no registry host (expected HOST/PROJECT/…)',
    ],
    [
      pushEnvelope({ ...insert, action: 'PUSH' }),
      'invalid Artifact Registry notification: message.data.action: expected "INSERT" or "DELETE"',
    ],
    [
      {
        ...pushEnvelope(insert),
        message: { ...pushEnvelope(insert).message, data: 'eyJhY3Rpb24iOi$' },
      },
      'invalid Pub/Sub delivery: message.data: not valid base64 (character "$")',
    ],
    [
      { message: { messageId: '1', publishTime: 't' } },
      'invalid Pub/Sub delivery: message.data: absent; every topic cutover reads carries JSON data',
    ],
    [
      cloudEvent('not json'),
      `invalid Pub/Sub message data: data.message.data: not JSON (Unexpected token 'o', "not json" is not valid JSON); starts "not json"`,
    ],
    [
      pushEnvelope({ foo: 1 }),
      `invalid payload: message.data: an object with keys foo, not a payload cutover receives; ${EXPECTED}`,
    ],
    [{ version: '1.2' }, 'invalid Cloud Monitoring incident notification: incident: required'],
    [
      { ...closed, version: '2.0' },
      'invalid Cloud Monitoring incident notification: version: expected "1.2", "1.1" or "test"',
    ],
    [
      { ...closed, incident: { ...closed.incident, state: 'firing' } },
      'invalid Cloud Monitoring incident notification: incident.state: expected "open" or "closed" (any case), got "firing"',
    ],
    [
      { service: 'hello-world', mode: 'revision', reason: 'x', requestedBy: 'ana' },
      'invalid rollback request: mode: expected "traffic", "container" or "undo"',
    ],
    [
      { service: 'hello-world', mode: 'traffic', reason: '' },
      'invalid rollback request: reason: must not be empty; requestedBy: required',
    ],
    [
      { type: 'release.tick', service: '' },
      'invalid deployment event: service: Too small: expected string to have >=1 characters',
    ],
    [[1, 2], notInbound('a JSON array')],
    ['"INSERT"', notInbound('a JSON string')],
  ])('%j', (payload, message) => {
    const r = explain(payload);
    expect(r).toEqual({ code: 2, out: '', err: message });
  });

  it('an unknown deployment event type names the field', () => {
    expect(explain({ type: 'release.exploded', service: SERVICE }).err).toMatch(
      /^invalid deployment event: type: Invalid discriminator value/,
    );
  });

  it('an unreadable file or config exits 2', () => {
    const missing = runExplain(
      '/nonexistent/payload.json',
      {},
      { stdout: () => {}, stderr: () => {}, readFile: (p) => readFileSync(p, 'utf8') },
    );
    expect(missing).toBe(2);
    expect(explain(insert, { config: '/nonexistent/config.json' }).err).toMatch(
      /^invalid cutover configuration:\n {2}cannot read config file \/nonexistent\/config\.json/,
    );
  });
});

// Each test starts tsx: on a loaded 2-core machine compiling the CLI alone can take most of 30 s.
describe('cutover explain as a process', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-explain-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const run = (command: string, args: string[]) =>
    spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });

  it('bin/cutover.js runs from the clone without a build: exit 0 and one line', () => {
    const r = run(process.execPath, [
      'bin/cutover.js',
      'explain',
      fixturePath('artifact-registry-insert-tag.json'),
      '--config',
      HELLO_CONFIG,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${RELEASE_LINE}\n`);
  });

  it('tsx cli/main.ts exits 2 on a malformed payload and prints the message on stderr', () => {
    const file = write(
      'wrong-action.json',
      JSON.stringify({ action: 'UPSERT', tag: `${REPO}:1.1` }),
    );
    const r = run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'explain', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'invalid Artifact Registry notification: action: expected "INSERT" or "DELETE"\n',
    );
  });
});
