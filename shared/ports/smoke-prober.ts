import type { SmokeRoute } from '../schemas/config.js';
import type { ProbeResult } from '../domain/smoke.js';

/** One request of a smoke test against a tag URL; defined in the domain, which judges it. */
export type { ProbeResult } from '../domain/smoke.js';

export interface SmokeProber {
  probe(
    baseUrl: string,
    route: SmokeRoute,
    options: { authenticate: boolean; timeoutMs: number },
  ): Promise<ProbeResult>;
}
