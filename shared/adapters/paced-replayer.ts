import type { SmokeProber } from '../ports/smoke-prober.js';
import type { ReplayOptions, ShadowReplayer } from '../ports/shadow-replayer.js';
import type { LoggedRequest } from '../domain/shadow/log-lines.js';
import type { ReplayPair } from '../domain/shadow/pairs.js';

/** The header that marks a replayed request (examples/leakage-model does not log those). */
export const SHADOW_HEADER = 'x-cutover-shadow';

const timerSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * ShadowReplayer over a SmokeProber (HTTP): pair i starts i / requestsPerSecond seconds after
 * the first, its two requests together, so blue and green see the same moment's load. Pairs
 * overlap when answers are slower than the pace. Never throws (a probe reports its own errors).
 */
export class PacedReplayer implements ShadowReplayer {
  constructor(
    private readonly prober: SmokeProber,
    private readonly sleep: (ms: number) => Promise<void> = timerSleep,
  ) {}

  async replay(
    requests: readonly LoggedRequest[],
    urls: { blue: string; green: string },
    options: ReplayOptions,
  ): Promise<ReplayPair[]> {
    const probeOptions = {
      authenticate: options.authenticate,
      timeoutMs: options.timeoutMs,
      headers: { [SHADOW_HEADER]: options.releaseId },
    };
    const gapMs = 1000 / options.requestsPerSecond;
    const pairs: Array<Promise<ReplayPair>> = [];
    for (const [i, request] of requests.entries()) {
      if (i > 0) await this.sleep(gapMs);
      const route = {
        method: request.method,
        path: request.route,
        body: request.body,
        expectStatus: 200,
        samples: 1,
      };
      pairs.push(
        Promise.all([
          this.prober.probe(urls.blue, route, probeOptions),
          this.prober.probe(urls.green, route, probeOptions),
        ]).then(([blue, green]) => ({ request, blue, green })),
      );
    }
    return Promise.all(pairs);
  }
}
