import { createHash } from 'node:crypto';
import { splitServiceName } from '../shared/domain/service-ref.js';

/**
 * The numbers of terraform/monitoring.tf's `alerts` object (variables.tf), in camelCase. Terraform's
 * defaults are 0.02, 1000 ms, [0, 1] and 300 s; a local stack usually holds a condition for 0 s.
 */
export interface AlertThresholds {
  /** 5xx responses / all responses of a revision above this opens an incident. */
  max5xxRatio: number;
  /** p95 request latency of a revision above this many ms opens an incident. */
  p95LatencyMs: number;
  /** Mean prediction of a revision below this opens an incident. */
  predictionMeanMin: number;
  /** Mean prediction of a revision above this opens an incident. */
  predictionMeanMax: number;
  /** How long a condition must hold before the incident opens (terraform `duration`). */
  durationSeconds: number;
}

export const TERRAFORM_ALERT_DEFAULTS: AlertThresholds = {
  max5xxRatio: 0.02,
  p95LatencyMs: 1000,
  predictionMeanMin: 0,
  predictionMeanMax: 1,
  durationSeconds: 300,
};

export const REQUEST_COUNT = 'run.googleapis.com/request_count';
export const REQUEST_LATENCIES = 'run.googleapis.com/request_latencies';

/** One aggregation as terraform writes it (`aggregations { … }`), alignment chosen at query time. */
export interface ConditionAggregation {
  perSeriesAligner: string;
  crossSeriesReducer: string;
  groupByFields: string[];
}

/** One condition of one alert policy of one service, exactly as terraform/monitoring.tf defines it. */
export interface AlertCondition {
  /** Full service name the policy guards. */
  service: string;
  project: string;
  policyName: string;
  /** `projects/P/alertPolicies/ID`, deterministic per policy. */
  policyResource: string;
  /** `policyResource/conditions/ID`. */
  conditionResource: string;
  conditionName: string;
  userLabels: Record<string, string>;
  metricType: string;
  metricDisplayName: string;
  filter: string;
  /** For a ratio condition: the denominator's filter (same aggregation). */
  denominatorFilter: string | null;
  aggregation: ConditionAggregation;
  /** Terraform's alignment period, reported in the incident's `condition`; queries use the window. */
  alignmentPeriod: string;
  comparison: 'COMPARISON_GT' | 'COMPARISON_LT';
  threshold: number;
  durationSeconds: number;
  documentation: string;
}

const BY_REVISION = ['resource.label.revision_name'];

/** A stable 19-digit id, like Monitoring's numeric policy and condition ids. */
export function numericId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 15);
  return (BigInt(`0x${hex}`) + 1_000_000_000_000_000_000n).toString();
}

/**
 * The conditions of the three policies terraform/monitoring.tf creates for one service:
 * `error_ratio` (5xx / all, ALIGN_DELTA + REDUCE_SUM by revision), `latency` (ALIGN_DELTA +
 * REDUCE_PERCENTILE_95 by revision) and `prediction_drift` (ALIGN_DELTA + REDUCE_MEAN by revision,
 * one condition above the band and one below it). Names and labels match, so an incident from the
 * evaluator reads like one from Cloud Monitoring.
 */
export function alertConditions(
  service: string,
  t: AlertThresholds,
  predictionMetric: string,
): AlertCondition[] {
  const parts = splitServiceName(service);
  if (!parts) throw new Error(`not a full Cloud Run service name: ${service}`);
  const { project, id } = parts;
  const base = `resource.type = "cloud_run_revision" AND resource.label.service_name = "${id}"`;
  const delta = (reducer: string): ConditionAggregation => ({
    perSeriesAligner: 'ALIGN_DELTA',
    crossSeriesReducer: reducer,
    groupByFields: BY_REVISION,
  });
  const policy = (check: string, policyName: string, documentation: string) => {
    const policyResource = `projects/${project}/alertPolicies/${numericId(`${service}|${check}`)}`;
    return {
      service,
      project,
      policyName,
      policyResource,
      userLabels: { cutover_service: id, cutover_check: check },
      durationSeconds: t.durationSeconds,
      documentation,
    };
  };
  const condition = (p: ReturnType<typeof policy>, conditionName: string) => ({
    ...p,
    conditionName,
    conditionResource: `${p.policyResource}/conditions/${numericId(`${p.policyResource}|${conditionName}`)}`,
  });
  const reverts = "cutover's revertOnAlert sends all traffic back to the stable revision.";

  const errors = policy(
    'error-ratio',
    `cutover ${id}: 5xx ratio above ${t.max5xxRatio}`,
    `A revision of Cloud Run service \`${id}\` answers more than a ${t.max5xxRatio} share of its requests with 5xx. ${reverts}`,
  );
  const latency = policy(
    'latency',
    `cutover ${id}: p95 latency above ${t.p95LatencyMs} ms`,
    `A revision of Cloud Run service \`${id}\` has a p95 latency above ${t.p95LatencyMs} ms. ${reverts}`,
  );
  const band = `[${t.predictionMeanMin}, ${t.predictionMeanMax}]`;
  const drift = policy(
    'prediction-drift',
    `cutover ${id}: mean prediction outside ${band}`,
    `The mean prediction of a revision of Cloud Run service \`${id}\` left ${band}. ${reverts}`,
  );
  const prediction = {
    metricType: predictionMetric,
    metricDisplayName: 'cutover prediction score',
    filter: `${base} AND metric.type = "${predictionMetric}"`,
    denominatorFilter: null,
    aggregation: delta('REDUCE_MEAN'),
    alignmentPeriod: '300s',
  };
  return [
    {
      ...condition(errors, `5xx ratio of a ${id} revision`),
      metricType: REQUEST_COUNT,
      metricDisplayName: 'Request Count',
      filter: `${base} AND metric.type = "${REQUEST_COUNT}" AND metric.label.response_code_class = "5xx"`,
      denominatorFilter: `${base} AND metric.type = "${REQUEST_COUNT}"`,
      aggregation: delta('REDUCE_SUM'),
      alignmentPeriod: '60s',
      comparison: 'COMPARISON_GT',
      threshold: t.max5xxRatio,
    },
    {
      ...condition(latency, `p95 latency of a ${id} revision`),
      metricType: REQUEST_LATENCIES,
      metricDisplayName: 'Request Latencies',
      filter: `${base} AND metric.type = "${REQUEST_LATENCIES}"`,
      denominatorFilter: null,
      aggregation: delta('REDUCE_PERCENTILE_95'),
      alignmentPeriod: '60s',
      comparison: 'COMPARISON_GT',
      threshold: t.p95LatencyMs,
    },
    {
      ...condition(drift, `mean prediction of a ${id} revision above ${t.predictionMeanMax}`),
      ...prediction,
      comparison: 'COMPARISON_GT',
      threshold: t.predictionMeanMax,
    },
    {
      ...condition(drift, `mean prediction of a ${id} revision below ${t.predictionMeanMin}`),
      ...prediction,
      comparison: 'COMPARISON_LT',
      threshold: t.predictionMeanMin,
    },
  ];
}

/** Whether `observed` breaches the condition's threshold. */
export function breaches(condition: AlertCondition, observed: number): boolean {
  return condition.comparison === 'COMPARISON_GT'
    ? observed > condition.threshold
    : observed < condition.threshold;
}
