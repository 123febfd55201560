import { Counter, Histogram, Registry } from 'prom-client';

/** Statuses the model answers with, exported at 0 before the first request. */
const KNOWN_STATUSES = ['200', '400', '404', '405', '413', '500', '503'];
/** Request latency buckets in seconds (Prometheus' usual layout, extended to 10 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Prediction score buckets: 0.05 wide over [0, 1], like the log-based metric's. */
const PREDICTION_BUCKETS = Array.from({ length: 20 }, (_, i) => Math.round((i + 1) * 5) / 100);

/**
 * The model's Prometheus metrics (`GET /metrics`, prom-client), labelled by `revision` (K_REVISION,
 * as Cloud Run sets it) and `service` (K_SERVICE):
 * - `http_requests_total{status}` and `http_request_duration_seconds{status}` (a histogram);
 * - `model_prediction` (a histogram of scores) and `model_prediction_squares_total` (the sum of
 *   squared scores, so a reader gets the exact sum of squared deviation: Σx² − n·mean²).
 */
export class ModelMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'status'>;
  private readonly duration: Histogram<'status'>;
  private readonly prediction: Histogram;
  private readonly squares: Counter;

  constructor(labels: { revision: string; service: string }) {
    this.registry.setDefaultLabels(labels);
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by status code.',
      labelNames: ['status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent, by status code.',
      labelNames: ['status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.prediction = new Histogram({
      name: 'model_prediction',
      help: 'Leakage probability scores the model predicted.',
      buckets: PREDICTION_BUCKETS,
      registers,
    });
    this.squares = new Counter({
      name: 'model_prediction_squares_total',
      help: 'Sum of the squared prediction scores.',
      registers,
    });
    // Series that exist from the start: increase() over a window misses a series' first sample,
    // so a status first seen mid-window would be undercounted (Prometheus' own advice).
    for (const status of KNOWN_STATUSES) {
      this.requests.labels({ status }).inc(0);
      this.duration.zero({ status });
    }
  }

  request(status: number, seconds: number): void {
    this.requests.inc({ status: String(status) });
    this.duration.observe({ status: String(status) }, seconds);
  }

  predicted(score: number): void {
    this.prediction.observe(score);
    this.squares.inc(score * score);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
