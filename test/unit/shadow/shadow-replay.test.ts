import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../shared/adapters/json-logger.js';
import { parseConfig } from '../../../shared/config/load.js';
import { parseBatch, selectNewest } from '../../../shared/domain/shadow/log-lines.js';
import { initialRecord } from '../../../shared/domain/release-machine.js';
import type { ConfigInput } from '../../../shared/schemas/config.js';
import type { Release } from '../../../shared/schemas/release.js';
import type { Deps } from '../../../shared/usecases/deps.js';
import { shadowReplay } from '../../../shared/usecases/shadow-replay.js';
import { FakeLogStore } from '../../fakes/fake-log-store.js';
import { FakeReplayer, type Answerer } from '../../fakes/fake-replayer.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const NOW = new Date('2026-12-01T10:10:00.000Z');
const URLS = { blue: 'http://blue.tag', green: 'http://green.tag' };
const TIMING = { waitedSeconds: 5, graceSeconds: 60 };

function line(second: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    time: new Date(NOW.getTime() - 600_000 + second * 1000).toISOString(),
    method: 'POST',
    route: '/predict',
    features: { pressure_bar: 3 + second / 1000 },
    response: { status: 200, body: { leakage_probability: 0.6 } },
    model_version: '1.0.0',
    latency_ms: 2,
    ...extra,
  });
}

function setup(shadow: ConfigInput['services'][number]['shadow'] = {}, answer?: Answerer) {
  const config = parseConfig({
    services: [
      {
        service: SERVICE,
        image: REPO,
        colors: {
          blue: { env: { INFERENCE_LOG_BUCKET: 'logs-blue' } },
          green: { env: { INFERENCE_LOG_BUCKET: 'logs-green' } },
        },
        shadow: { minSamples: 20, requests: 50, ...shadow },
      },
    ],
  });
  const store = new FakeLogStore();
  const replayer = new FakeReplayer(
    answer ??
      ((url) => ({
        status: 200,
        latencyMs: 10,
        json: { leakage_probability: url === URLS.green ? 0.6 : 0.6 },
        error: null,
      })),
  );
  const logger = memoryLogger();
  const deps = {
    config,
    clock: { now: () => NOW },
    logger,
    inferenceLogs: () => store,
    replayer: () => replayer,
  } as unknown as Deps;
  const record = initialRecord({
    revision: 'leakage-00001-abc',
    image: `${REPO}@sha256:${'1'.repeat(64)}`,
  });
  const release: Release = {
    id: 'r1',
    phase: 'smoke-testing',
    tag: '2.0.0',
    startedAt: NOW.toISOString(),
    candidate: {
      revision: 'leakage-r1',
      image: `${REPO}@sha256:${'2'.repeat(64)}`,
      color: 'green',
    },
  };
  const run = (timing = TIMING) =>
    shadowReplay(deps, config.services[0]!, record, release, URLS, timing);
  return { store, replayer, run, logger };
}

describe('inference-log batches', () => {
  it('skips and counts malformed lines (not JSON, not a request), never failing on them', () => {
    const text = [line(1), '{"time": "yesterday"}', 'not json at all', '', line(2), '[1,2]'].join(
      '\n',
    );
    const parsed = parseBatch(text);
    expect(parsed.malformed).toBe(3);
    expect(parsed.requests.map((r) => r.body)).toEqual([
      { pressure_bar: 3.001 },
      { pressure_bar: 3.002 },
    ]);
  });

  it('selects the newest N on the configured routes within the max age, newest first', () => {
    const requests = parseBatch(
      [line(1), line(3), line(2), line(4, { route: '/admin/reset' }), line(-1000)].join('\n'),
    ).requests;
    const selected = selectNewest(requests, {
      limit: 2,
      notBefore: new Date(NOW.getTime() - 600_000),
      routes: ['POST /predict'],
    });
    expect(selected.requests.map((r) => r.body)).toEqual([
      { pressure_bar: 3.003 },
      { pressure_bar: 3.002 },
    ]);
    expect(selected.skipped).toBe(2); // the other route, and the one too old
  });
});

describe('shadow replay use case', () => {
  it('a service with no logs yet: skipped, and it says so', async () => {
    const { run, replayer } = setup();
    expect(await run()).toEqual({
      kind: 'skipped',
      reason:
        'the service has no inference logs yet: gs://logs-blue/inference/* holds nothing from the last 3600 s',
    });
    expect(replayer.sent).toEqual([]);
  });

  it('replays the stable’s (blue’s) newest logged requests on both tag URLs only, at the configured rate', async () => {
    const { run, store, replayer } = setup({ requestsPerSecond: 7 });
    const batch = (from: number) => Array.from({ length: 30 }, (_, i) => line(from + i)).join('\n');
    store.put(
      'logs-blue',
      `inference/${new Date(NOW.getTime() - 600_000).toISOString()}-a-000000.jsonl`,
      batch(0),
    );
    store.put(
      'logs-blue',
      `inference/${new Date(NOW.getTime() - 570_000).toISOString()}-a-000001.jsonl`,
      batch(30),
    );
    store.put('logs-green', 'inference/2026-12-01T10:09:00.000Z-b-000000.jsonl', batch(500));
    const outcome = await run();
    expect(outcome).toMatchObject({
      kind: 'judged',
      replayed: 50,
      malformed: 0,
      bucket: 'logs-blue',
    });
    // 50 clean pairs: the 5xx check's upper bound (8.80%) is still above clearly bad (8%).
    expect(outcome.kind === 'judged' && outcome.verdict.outcome).toBe('inconclusive');
    expect(replayer.sent).toEqual([
      {
        urls: URLS,
        count: 50,
        options: { requestsPerSecond: 7, timeoutMs: 10_000, authenticate: false, releaseId: 'r1' },
      },
    ]);
    expect(store.calls.every((c) => c.includes('logs-blue'))).toBe(true);
  });

  it('a log with malformed lines: they are skipped and counted, the rest replayed', async () => {
    const { run, store } = setup();
    const lines = Array.from({ length: 25 }, (_, i) => line(i));
    lines.splice(3, 0, '{broken', '{"method":"POST"}');
    store.put(
      'logs-blue',
      `inference/${new Date(NOW.getTime() - 600_000).toISOString()}-a-000000.jsonl`,
      lines.join('\n'),
    );
    expect(await run()).toMatchObject({ kind: 'judged', replayed: 25, malformed: 2 });
  });

  it('fails when the candidate answers worse on the same requests', async () => {
    const { run, store } = setup({}, (url, _r, i) =>
      url === URLS.green && i % 5 === 0
        ? { status: 503, latencyMs: 10, json: { error: 'down' }, error: null }
        : { status: 200, latencyMs: 10, json: { leakage_probability: 0.6 }, error: null },
    );
    store.put(
      'logs-blue',
      `inference/${new Date(NOW.getTime() - 600_000).toISOString()}-a-000000.jsonl`,
      Array.from({ length: 50 }, (_, i) => line(i)).join('\n'),
    );
    const outcome = await run();
    expect(outcome.kind === 'judged' && outcome.verdict.outcome).toBe('fail');
  });

  it('waits while fewer than minSamples are logged, then goes on without the replay and says why', async () => {
    const { store, run } = setup();
    store.put(
      'logs-blue',
      `inference/${new Date(NOW.getTime() - 600_000).toISOString()}-a-000000.jsonl`,
      [line(1), line(2)].join('\n'),
    );
    const reason =
      '2 replayable requests logged in gs://logs-blue, fewer than shadow.minSamples (20)';
    expect(await run()).toEqual({ kind: 'wait', reason });
    expect(await run({ waitedSeconds: 60, graceSeconds: 60 })).toEqual({ kind: 'skipped', reason });
  });

  it('a service that opts out is not replayed', async () => {
    const { run, store } = setup({ enabled: false });
    expect(await run()).toEqual({
      kind: 'skipped',
      reason: 'the service opts out (shadow.enabled is false)',
    });
    expect(store.calls).toEqual([]);
  });
});
