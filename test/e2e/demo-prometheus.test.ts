import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../local/demo/run-demo.js';
import type { Stack } from '../../local/stack.js';

/**
 * `cutover demo --metrics prometheus`: the step analysis reads every figure through the
 * Prometheus source, from the emulator's Managed Service for Prometheus endpoint over what its
 * managed collection scraped from the revisions' `/metrics`. The replay is off in this mode (it
 * reads no metrics), so a failing or slow v2 goes out to users at the first step and the
 * analysis rolls it back.
 */
const root = mkdtempSync(join(tmpdir(), 'cutover-demo-prometheus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Seen {
  source: string;
  queries: number;
  candidateSeries: number;
}

function inspect(stack: Stack, candidate: () => string | null): Seen {
  const service = stack.config.services[0]!;
  const project = service.service.split('/')[1]!;
  const revision = candidate();
  return {
    source: service.metrics.source,
    queries: stack.emulator.prometheusQueries(),
    candidateSeries: stack.emulator.monitoring
      .series(project)
      .filter(
        (s) =>
          s.metric.type === 'prometheus.googleapis.com/http_requests_total/counter' &&
          s.metric.labels.revision === revision,
      ).length,
  };
}

describe.sequential('cutover demo --metrics prometheus', () => {
  it.each([
    ['errors', 'error-rate'],
    ['latency', 'p95-latency'],
  ] as const)(
    '%s ends rolled back by the analysis of %s, read through PromQL',
    async (name, check) => {
      const lines: string[] = [];
      let seen: Seen | null = null;
      const result = await runDemo({
        scenario: name,
        metrics: 'prometheus',
        json: true,
        stateDir: join(root, name),
        out: { write: (text: string) => lines.push(text), isTTY: false },
        inspect: async (stack) => {
          const events = lines
            .join('')
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { type?: string; candidate?: { revision?: string } });
          const provisioned = events.find((e) => e.type === 'release.provisioned');
          seen = inspect(stack, () => provisioned?.candidate?.revision ?? null);
        },
      });
      const log = lines.join('');
      expect(result.outcome.problems, log).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.outcome).toMatchObject({ phase: 'rolled-back', trigger: 'analysis' });
      expect(result.outcome.reason).toContain(`failing verdicts of ${check}`);
      // The candidate answered users (no replay caught it before) and Prometheus saw it.
      expect(result.outcome.candidateUserRequests).toBeGreaterThan(0);
      const s = seen as Seen | null;
      expect(s?.source).toBe('prometheus');
      expect(s?.candidateSeries).toBeGreaterThan(0);
      expect(s?.queries).toBeGreaterThan(10);
    },
    180_000,
  );
});
