import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readKnobs, KnobError } from '../../examples/leakage-model/knobs.js';
import { leakageProbability } from '../../examples/leakage-model/model.js';
import { createModelServer } from '../../examples/leakage-model/server.js';

const SERVER = fileURLToPath(new URL('../../examples/leakage-model/server.ts', import.meta.url));
const FEATURES = { pressure_bar: 3.2, flow_lpm: 41.5, pipe_age_years: 27, material: 'cast_iron' };

const servers: Server[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function start(env: Record<string, string> = {}, sleep?: (ms: number) => Promise<void>) {
  const lines: Record<string, unknown>[] = [];
  const writeLine = (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>);
  const server = createModelServer(readKnobs(env), sleep ? { writeLine, sleep } : { writeLine });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const predict = async (body: unknown = FEATURES) => {
    const res = await fetch(`${base}/predict`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { base, lines, predict };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

describe('leakage model', () => {
  it('predicts a deterministic probability and logs one structured line per prediction', async () => {
    const m = await start({ MODEL_VERSION: '2.1.0', INFERENCE_LOG_BUCKET: 'inference-green' });
    const first = await m.predict();
    const second = await m.predict();
    expect(first).toEqual({
      status: 200,
      json: { leakage_probability: 0.634831, model_version: '2.1.0' },
    });
    expect(second.json).toEqual(first.json);
    const predictions = m.lines.filter((l) => l.message === 'prediction');
    expect(predictions).toHaveLength(2);
    expect(predictions[0]).toMatchObject({
      severity: 'INFO',
      leakage_probability: 0.634831,
      model_version: '2.1.0',
      inference_log_bucket: 'inference-green',
    });
    expect(typeof predictions[0]?.latency_ms).toBe('number');
  });

  it('scores riskier pipes higher', () => {
    const old = leakageProbability({
      ...FEATURES,
      material: 'cast_iron',
      pipe_age_years: 80,
    } as never);
    const young = leakageProbability({ ...FEATURES, material: 'hdpe', pipe_age_years: 2 } as never);
    expect(old).toBeGreaterThan(young);
  });

  it('answers /healthz with its version', async () => {
    const m = await start({ MODEL_VERSION: '1.4.0' });
    const res = await fetch(`${m.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', model_version: '1.4.0' });
  });

  it.each([
    ['a negative pressure', { ...FEATURES, pressure_bar: -1 }, 'pressure_bar'],
    ['an unknown material', { ...FEATURES, material: 'wood' }, 'material'],
    ['a missing field', { pressure_bar: 3, flow_lpm: 2, material: 'pvc' }, 'pipe_age_years'],
    ['an extra field', { ...FEATURES, colour: 'red' }, '(body)'],
    ['a string number', { ...FEATURES, flow_lpm: '41' }, 'flow_lpm'],
  ])('rejects %s with 400 and a JSON error naming the field', async (_name, body, field) => {
    const m = await start();
    const res = await m.predict(body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid features');
    expect((res.json.issues as string[]).some((i) => i.startsWith(field))).toBe(true);
    expect(m.lines.some((l) => l.message === 'prediction')).toBe(false);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const m = await start();
    expect(await m.predict('{nope')).toEqual({
      status: 400,
      json: { error: 'body is not valid JSON' },
    });
  });

  it('ERROR_RATE fails exactly that fraction of predictions with 503, spread evenly', async () => {
    const m = await start({ ERROR_RATE: '0.25' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await m.predict()).status);
    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 200, 503]);
    const failed = await start({ ERROR_RATE: '1' });
    expect(await failed.predict()).toEqual({
      status: 503,
      json: { error: 'model temporarily unavailable' },
    });
    expect((await fetch(`${failed.base}/healthz`)).status).toBe(200);
  });

  it('ERROR_AFTER answers that many predictions normally before ERROR_RATE starts', async () => {
    const m = await start({ ERROR_RATE: '0.5', ERROR_AFTER: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await m.predict()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 503, 200, 503]);
  });

  it('PREDICTION_SHIFT moves the score and clamps it to [0, 1]', async () => {
    const base = (await (await start()).predict()).json.leakage_probability as number;
    const up = await (await start({ PREDICTION_SHIFT: '0.2' })).predict();
    expect(up.json.leakage_probability).toBeCloseTo(base + 0.2, 6);
    const clamped = await (await start({ PREDICTION_SHIFT: '0.9' })).predict();
    expect(clamped.json.leakage_probability).toBe(1);
    const floor = await (await start({ PREDICTION_SHIFT: '-0.9' })).predict();
    expect(floor.json.leakage_probability).toBe(0);
  });

  it('RESPONSE_SHAPE=v2 answers a different shape', async () => {
    const res = await (await start({ RESPONSE_SHAPE: 'v2', MODEL_VERSION: '2.0.0' })).predict();
    expect(res).toEqual({ status: 200, json: { leak_risk: 63.5, model_version: '2.0.0' } });
  });

  it('EXTRA_LATENCY_MS waits that long before every prediction, never before /healthz', async () => {
    const waits: number[] = [];
    const m = await start({ EXTRA_LATENCY_MS: '60' }, async (ms) => void waits.push(ms));
    await m.predict();
    await fetch(`${m.base}/healthz`);
    await m.predict();
    expect(waits).toEqual([60, 60]);
    const none: number[] = [];
    await (await start({}, async (ms) => void none.push(ms))).predict();
    expect(none).toEqual([]);
  });

  it('SLOW_SHARE slows exactly that share, never two of three in a row: medians stay, p95 moves', async () => {
    const waits: number[] = [];
    const m = await start({ EXTRA_LATENCY_MS: '300', SLOW_SHARE: '0.1' }, async (ms) => {
      waits.push(ms);
    });
    const slow: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      const before = waits.length;
      await m.predict();
      slow.push(waits.length > before);
    }
    expect(slow.filter(Boolean)).toHaveLength(4); // every 10th
    for (let i = 0; i + 3 <= slow.length; i++) {
      expect(
        slow.slice(i, i + 3).filter(Boolean).length,
        `predictions ${i}..${i + 2}`,
      ).toBeLessThan(2);
    }
    expect(() => readKnobs({ SLOW_SHARE: '2' })).toThrow(/SLOW_SHARE/);
  });

  it('rejects knob values it cannot use, naming the variable', () => {
    expect(() => readKnobs({ ERROR_RATE: '1.5' })).toThrow(KnobError);
    expect(() => readKnobs({ ERROR_RATE: '1.5' })).toThrow(/ERROR_RATE/);
    expect(() => readKnobs({ RESPONSE_SHAPE: 'v3' })).toThrow(/RESPONSE_SHAPE/);
    expect(() => readKnobs({ FAIL_STARTUP: 'maybe' })).toThrow(/FAIL_STARTUP/);
  });

  it(
    'as a process: listens on PORT, and FAIL_STARTUP exits before listening',
    { timeout: 120_000 },
    async () => {
      const failing = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: { ...process.env, FAIL_STARTUP: 'true', PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(failing);
      let stderr = '';
      failing.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await exitOf(failing)).toBe(1);
      expect(stderr).toContain('FAIL_STARTUP');
    },
  );

  it(
    'as a process: exits when the CUTOVER_PARENT_PID process disappears',
    { timeout: 120_000 },
    async () => {
      const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
        stdio: 'ignore',
      });
      children.push(parent);
      const model = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          CUTOVER_PARENT_PID: String(parent.pid),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(model);
      const listening = new Promise<Record<string, unknown>>((resolve) =>
        model.stdout.on('data', (d: Buffer) => {
          const line = d
            .toString()
            .split('\n')
            .find((l) => l.includes('"listening"'));
          if (line) resolve(JSON.parse(line));
        }),
      );
      expect(await listening).toMatchObject({ severity: 'INFO', message: 'listening' });
      const exited = exitOf(model);
      parent.kill('SIGKILL');
      expect(await exited).toBe(0);
    },
  );
});
