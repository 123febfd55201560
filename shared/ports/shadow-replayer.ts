import type { LoggedRequest } from '../domain/shadow/log-lines.js';
import type { ReplayPair } from '../domain/shadow/pairs.js';

export interface ReplayOptions {
  /** At most this many pairs start per second. */
  requestsPerSecond: number;
  timeoutMs: number;
  authenticate: boolean;
  /** Sent as the `x-cutover-shadow` header, so the model does not log its replays again. */
  releaseId: string;
}

/** Sends logged requests to two tag URLs, each request to both at the same moment. */
export interface ShadowReplayer {
  replay(
    requests: readonly LoggedRequest[],
    urls: { blue: string; green: string },
    options: ReplayOptions,
  ): Promise<ReplayPair[]>;
}
