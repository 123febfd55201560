import type { BucketLayout } from '../../shared/domain/measurement.js';

/**
 * The bucket layout of `run.googleapis.com/request_latencies` (ms) as the emulator writes it and
 * the simulator buckets: 100 exponential buckets, growth 1.4, scale 1 ms, each 40 % wider than the
 * one before. Cloud Run does not document its layout (docs/google-behaviour.md: assumed); the
 * judge reads whatever layout a point carries, so only the resolution depends on this choice.
 */
export const CLOUD_RUN_LATENCY_LAYOUT: BucketLayout = {
  kind: 'exponential',
  numFiniteBuckets: 100,
  growthFactor: 1.4,
  scale: 1,
};
