import { SAMPLE_FEATURES } from './local-config.js';

export interface LoadOptions {
  /** The service URL the requests go to (the router's main URL). */
  url: string;
  requestsPerSecond: number;
  /** Requests in flight beyond which a beat is skipped (a slow revision does not pile up load). */
  maxInFlight?: number;
}

const MATERIALS = ['cast_iron', 'ductile_iron', 'steel', 'pvc', 'hdpe'];

/** The n-th request's features: a fixed cycle around the sample, so every revision sees the same mix. */
export function featuresFor(n: number): typeof SAMPLE_FEATURES {
  return {
    pressure_bar: 2 + (n % 7) * 0.5,
    flow_lpm: 20 + (n % 11) * 4,
    pipe_age_years: 5 + (n % 13) * 3,
    material: MATERIALS[n % MATERIALS.length] ?? SAMPLE_FEATURES.material,
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
