import type { SmokeRoute } from '../schemas/config.js';
import type { ProbeResult } from '../domain/smoke.js';

/** One request of a smoke test against a tag URL; defined in the domain, which judges it. */
export type { ProbeResult } from '../domain/smoke.js';

export interface SmokeProber {
  probe(
    baseUrl: string,
    route: SmokeRoute,
    /** `headers` are sent as they are (the shadow replay marks its requests with one). */
    options: { authenticate: boolean; timeoutMs: number; headers?: Record<string, string> },
  ): Promise<ProbeResult>;
}
