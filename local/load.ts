import { SAMPLE_FEATURES } from './local-config.js';

export interface LoadOptions {
  /** The service URL the requests go to (the router's main URL). */
  url: string;
  requestsPerSecond: number;
  /** Requests in flight beyond which a beat is skipped (a slow revision does not pile up load). */
  maxInFlight?: number;
}

/**
 * The n-th request's features: a short cycle close to the sample, so scores stay within a few
 * percent of each other and a random split of them between blue and green has the same mean —
 * only a model that really drifts (PREDICTION_SHIFT) moves green's mean.
 */
export function featuresFor(n: number): typeof SAMPLE_FEATURES {
  return {
    ...SAMPLE_FEATURES,
    pressure_bar: SAMPLE_FEATURES.pressure_bar + ((n % 5) - 2) * 0.05,
    pipe_age_years: SAMPLE_FEATURES.pipe_age_years + ((n % 3) - 1),
  };
}

/**
 * Steady user traffic against the sample service (`POST /predict`), so each step of a release has
 * requests to judge: without traffic every verdict is inconclusive. Failures are the point of some
 * scenarios and are not reported here; the router records them.
 */
export class LoadGenerator {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private sent = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    if (this.timer || this.options.requestsPerSecond <= 0) return;
    const period = Math.max(1, Math.round(1000 / this.options.requestsPerSecond));
    this.timer = setInterval(() => this.beat(), period);
  }

  /** Requests sent so far. */
  count(): number {
    return this.sent;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.all(this.inFlight);
  }

  private beat(): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 20)) return;
    const n = this.sent++;
    const request = fetch(`${this.options.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(featuresFor(n)),
      signal: this.abort.signal,
    })
      .then((response) => response.arrayBuffer())
      .then(
        () => undefined,
        () => undefined,
      );
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }
}
