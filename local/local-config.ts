import type { ConfigInput } from '../shared/schemas/config.js';

/** The sample service `cutover local` releases, and the image it follows. */
export const SAMPLE_SERVICE = 'projects/cutover-demo/locations/us-central1/services/leakage-model';
export const SAMPLE_IMAGE = 'us-central1-docker.pkg.dev/cutover-demo/models/leakage-model';

/** A sample request for `POST /predict` of the leakage model. */
export const SAMPLE_FEATURES = {
  pressure_bar: 3.2,
  flow_lpm: 41.5,
  pipe_age_years: 27,
  material: 'cast_iron',
};

/** The release timings of a local stack (seconds). */
export interface LocalTimings {
  /** Period of the scheduler's `release.tick`. */
  tickSeconds: number;
  bakeSeconds: number;
  monitoringLagSeconds: number;
  steps: number[];
  /** Green requests a step needs before its 5xx check counts. */
  minRequests: number;
}

/** Short timings: a healthy release of the sample service goes from push to promoted in ~30 s. */
export const LOCAL_TIMINGS: LocalTimings = {
  tickSeconds: 2,
  bakeSeconds: 4,
  monitoringLagSeconds: 1,
  steps: [20, 50, 100],
  minRequests: 10,
};

/**
 * The config of a local stack: the sample service with short timings, smoke routes `/healthz`
 * and `/predict`, and an inference-log bucket per color. Monitoring lags by one flush locally.
 */
export function localConfig(timings: LocalTimings = LOCAL_TIMINGS): ConfigInput {
  return {
    services: [
      {
        service: SAMPLE_SERVICE,
        image: SAMPLE_IMAGE,
        steps: timings.steps,
        bakeSeconds: timings.bakeSeconds,
        monitoringLagSeconds: timings.monitoringLagSeconds,
        // Local steps last seconds, not minutes, on a laptop's shared cores: few requests per
        // step and noisy latency. The judge's bounds carry that noise (blue's p95 is estimated,
        // and its error is in the effective sample), so the local limits stay tight, while the
        // margins are loosened for seconds of evidence: clearly bad is far away and a pass needs
        // little evidence (passAlpha and promoteAlpha 0.45); a fail needs evidence at 80% per
        // step (failAlpha 0.2). Production defaults are unchanged.
        thresholds: {
          minRequests: timings.minRequests,
          minPredictions: timings.minRequests,
          p95Tolerance: 0.1,
          p95SlackMs: 50,
          clearlyBad: { max5xxRate: 0.3, p95Increase: 3, predictionDrift: 1 },
          failAlpha: 0.2,
          passAlpha: 0.45,
          promoteAlpha: 0.45,
          maxInconclusiveSeconds: 120,
        },
        smoke: {
          routes: [
            { method: 'GET', path: '/healthz', expectStatus: 200, samples: 3 },
            {
              method: 'POST',
              path: '/predict',
              body: SAMPLE_FEATURES,
              expectStatus: 200,
              samples: 3,
            },
          ],
          timeoutSeconds: 5,
        },
        // The replay runs before the probes and again on every tick the smoke phase waits:
        // 100 pairs at 50 a second keep that to about 2 s locally.
        shadow: { requests: 100, minSamples: 50, requestsPerSecond: 50, maxAgeSeconds: 600 },
        colors: {
          blue: { env: { INFERENCE_LOG_BUCKET: 'cutover-demo-inference-blue' } },
          green: { env: { INFERENCE_LOG_BUCKET: 'cutover-demo-inference-green' } },
        },
      },
    ],
  };
}
