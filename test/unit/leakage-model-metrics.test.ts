import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readKnobs } from '../../examples/leakage-model/knobs.js';
import { ModelMetrics } from '../../examples/leakage-model/metrics.js';
import { createModelServer } from '../../examples/leakage-model/server.js';
import { SAMPLE_FEATURES } from '../../local/local-config.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** The value of one sample line `name{labels} value` of the exposition text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the sample model’s /metrics (prom-client)', () => {
  it('counts requests by status and revision, times them, and records each prediction', async () => {
    const metrics = new ModelMetrics({ revision: 'model-00002-grn', service: 'model' });
    const server = createModelServer(readKnobs({ ERROR_RATE: '0.5' }), {
      writeLine: () => undefined,
      metrics,
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${base}/predict`, {
        method: 'POST',
        body: JSON.stringify(SAMPLE_FEATURES),
      });
      statuses.push(res.status);
      await res.text();
    }
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBe(5); // ERROR_RATE 0.5 fails every other request
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const revision = { revision: 'model-00002-grn', service: 'model' };
    expect(sample(text, 'http_requests_total', { ...revision, status: '200' })).toBe(5);
    expect(sample(text, 'http_requests_total', { ...revision, status: '503' })).toBe(5);
    expect(
      sample(text, 'http_request_duration_seconds_count', { ...revision, status: '200' }),
    ).toBe(5);
    expect(
      sample(text, 'http_request_duration_seconds_bucket', {
        ...revision,
        status: '503',
        le: '+Inf',
      }),
    ).toBe(5);
    expect(sample(text, 'model_prediction_count', revision)).toBe(5);
    const sum = sample(text, 'model_prediction_sum', revision) ?? NaN;
    const squares = sample(text, 'model_prediction_squares_total', revision) ?? NaN;
    expect(sum / 5).toBeGreaterThan(0);
    expect(sum / 5).toBeLessThan(1);
    // Five equal inputs give five equal scores: Σx² = n·mean², no spread.
    expect(squares - 5 * (sum / 5) ** 2).toBeCloseTo(0, 9);
  });
});
