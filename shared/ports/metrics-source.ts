import type { RevisionSummary, Window } from '../domain/measurement.js';

export type {
  Measurement,
  RevisionSummary,
  RevisionMetrics,
  Window,
} from '../domain/measurement.js';

export interface MetricsSource {
  /** `service` is the full name; `revision` the short revision name. */
  measure(service: string, revision: string, window: Window): Promise<RevisionSummary>;
}
