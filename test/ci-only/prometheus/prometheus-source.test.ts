import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusApi } from '../../../shared/adapters/prometheus/prometheus-api.js';
import {
  CONTRACT_REVISION,
  prometheusSourceContract,
} from '../../contract/prometheus-source.contract.js';

/**
 * The Prometheus contract against a real server: Debian's `prometheus` (.ci/suites/prometheus
 * installs it) on an ephemeral port, scraping the sample model every second. The same suite runs
 * in npm test against the emulator (test/contract/prometheus-source.emulator.test.ts).
 */

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Polls `read` until `done` holds (Prometheus scrapes on its own schedule). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

prometheusSourceContract('a real Prometheus scraping the sample model', async (url) => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-prometheus-'));
  const target = new URL(url);
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: model',
      '    static_configs:',
      `      - targets: ['${target.host}']`,
    ].join('\n'),
  );
  const prometheus: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const api = new PrometheusApi(`http://127.0.0.1:${port}`);
  await until(
    () => api.query('up', new Date()),
    (v) => v[0]?.value === 1,
    'the first scrape',
  );
  const seen = async () =>
    (await api.query(`sum(http_requests_total{revision="${CONTRACT_REVISION}"})`, new Date()))[0]
      ?.value ?? 0;
  return {
    api,
    now: () => new Date(),
    settle: async (sent) => {
      await until(seen, (n) => n >= sent, `the ${sent} requests in Prometheus`);
      // One more scrape, so the window holds samples on both sides of the traffic.
      await new Promise((r) => setTimeout(r, 1500));
    },
    close: async () => {
      prometheus.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
