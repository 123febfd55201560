import type { SmokeRoute } from '../schemas/config.js';

/** One request of a smoke test against a tag URL. */
export interface ProbeResult {
  /** HTTP status, or null when no response came back. */
  status: number | null;
  latencyMs: number;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  json: unknown;
  /** Why no response came back (connection refused, timeout). */
  error: string | null;
}

export interface SmokeProber {
  probe(baseUrl: string, route: SmokeRoute, options: { authenticate: boolean; timeoutMs: number }): Promise<ProbeResult>;
}
