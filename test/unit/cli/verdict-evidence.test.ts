import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../../cli/explain.js';
import { renderStatus } from '../../../cli/status-view.js';
import { evidenceLines } from '../../../cli/verdict-evidence.js';
import type { ServiceView } from '../../../shared/ports/service-platform.js';
import type { Verdict } from '../../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/shop';
const IMAGE = 'us-central1-docker.pkg.dev/p/r/shop';
const at = '2026-12-01T10:30:00.000Z';
const ADVICE =
  'too little traffic: error-rate needs about 420 requests (has 90, 3.0/min → ~120 min at this step, over maxInconclusiveSeconds 3600 s) — raise traffic to the service, or decide by hand: cutover promote | cutover rollback';

/** A low-traffic verdict: the 5xx check is short of its sample, p95 has passed, drift has no data. */
const verdict: Verdict = {
  outcome: 'inconclusive',
  critical: false,
  at,
  window: { start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T10:26:00.000Z' },
  looks: { fail: 26, pass: 20 },
  advice: ADVICE,
  checks: [
    {
      check: 'error-rate',
      outcome: 'inconclusive',
      observed: 0.011111,
      baseline: 0.005,
      limit: 0.02,
      samples: 90,
      critical: false,
      interval: { lower: 0.0004, upper: 0.0611 },
      boundary: null,
      needed: 420,
      blocking: true,
      reason: '5xx rate 1.11% (1 of 90): not yet above the limit nor below 3%',
    },
    {
      check: 'p95-latency',
      outcome: 'pass',
      observed: 98.4,
      baseline: 100.2,
      limit: 115.2,
      samples: 90,
      critical: false,
      interval: { lower: 0, upper: 0.0312 },
      boundary: 'pass: share of green above 130.3 ms ≤ 3.12% < 5%',
      needed: null,
      blocking: true,
      reason: 'green p95 below the clearly-bad margin',
    },
    {
      check: 'prediction-drift',
      outcome: 'inconclusive',
      observed: null,
      baseline: 0.29,
      limit: 0.058,
      samples: 0,
      critical: false,
      interval: null,
      boundary: null,
      needed: null,
      blocking: true,
      reason: 'no green prediction data',
    },
  ],
};

describe('the evidence behind a verdict', () => {
  it('one line per check: n, estimate, interval, boundary, projected sample; then looks and advice', () => {
    expect(evidenceLines(verdict)).toEqual([
      '  error-rate: inconclusive · n 90, 5xx 1.11%, 5xx rate in [0.04%, 6.11%] · no boundary crossed; needs ~420',
      '  p95-latency: pass · n 90, p95 98.4 ms, green above the fail threshold ≥ 0.00%, above the pass threshold ≤ 3.12% (vs 5%) · pass: share of green above 130.3 ms ≤ 3.12% < 5%',
      '  prediction-drift: inconclusive · n 0, no estimate, no interval yet · no boundary crossed',
      '  fail look 26, planned pass look 20, window 2026-12-01T10:00:00.000Z → 2026-12-01T10:26:00.000Z',
      `  advice: ${ADVICE}`,
    ]);
  });

  it('drift reads as a difference of means', () => {
    const drift = {
      ...verdict.checks[2]!,
      observed: 0.3012,
      samples: 400,
      interval: { lower: -0.0123, upper: 0.0345 },
    };
    expect(evidenceLines({ ...verdict, advice: null, checks: [drift] })[0]).toBe(
      '  prediction-drift: inconclusive · n 400, mean 0.3012, green − blue mean in [-0.0123, 0.0345] · no boundary crossed',
    );
  });

  it('cutover status shows the advice up front and the evidence under the checks', () => {
    const view: ServiceView = {
      name: SERVICE,
      etag: '"e"',
      latestReadyRevision: 'shop-2',
      latestCreatedRevision: 'shop-2',
      uri: null,
      traffic: [
        { revision: 'shop-1', percent: 90, tag: 'blue', url: null },
        { revision: 'shop-2', percent: 10, tag: 'green', url: null },
      ],
      written: [],
      record: {
        stable: { revision: 'shop-1', image: `${IMAGE}@sha256:a`, color: 'blue' },
        failedImages: [],
        history: [],
        release: {
          id: 'r1',
          tag: '2',
          startedAt: at,
          candidate: { revision: 'shop-2', image: `${IMAGE}@sha256:b`, color: 'green' },
          phase: 'shifting',
          step: { index: 0, percent: 10, startedAt: at, previousStartedAt: null },
          consecutiveFailures: 0,
          inconclusiveSince: at,
          stalled: true,
          paused: false,
          lastVerdict: verdict,
        },
      },
    };
    const lines = renderStatus(view, [10, 25, 50, 100]);
    const verdictAt = lines.findIndex((l) => l.startsWith('verdict   inconclusive'));
    expect(lines[verdictAt + 1]).toBe(`advice    ${ADVICE}`);
    expect(lines.join('\n')).toContain('[stalled]');
    const evidence = lines.indexOf('evidence');
    expect(evidence).toBeGreaterThan(verdictAt);
    expect(lines.slice(evidence + 1, evidence + 5)).toEqual(
      evidenceLines({ ...verdict, advice: null }),
    );
  });

  it('cutover explain of a release.verdict event prints its evidence and advice', () => {
    const event = {
      type: 'release.verdict',
      service: SERVICE,
      releaseId: 'r1',
      step: 0,
      percent: 10,
      at,
      verdict,
      decision: 'stalled',
    };
    const config = join(mkdtempSync(join(tmpdir(), 'explain-')), 'cutover.json');
    writeFileSync(config, JSON.stringify({ services: [{ service: SERVICE, image: IMAGE }] }));
    const out: string[] = [];
    const code = runExplain(
      'event.json',
      { config },
      {
        stdout: (l) => out.push(l),
        stderr: (l) => out.push(l),
        readFile: () => JSON.stringify(event),
      },
    );
    expect(code).toBe(0);
    expect(out.join('\n').split('\n')).toEqual([
      `ignored: release.verdict reports what happened to ${SERVICE}; nothing to do`,
      'verdict inconclusive:',
      ...evidenceLines(verdict),
    ]);
  });
});
