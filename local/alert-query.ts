import type { MetricServiceClient, protos } from '@google-cloud/monitoring';
import { scalar } from '../shared/adapters/gcp/monitoring-series.js';
import type { ConditionAggregation } from './alert-policies.js';

type Aggregation = protos.google.monitoring.v3.IAggregation;

export interface RevisionQuery {
  project: string;
  filter: string;
  aggregation: ConditionAggregation;
  start: Date;
  end: Date;
}

function timestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/**
 * Runs one condition's query over [start, end] as a single alignment period and returns one number
 * per revision (`resource.labels.revision_name` of each grouped series): the sum of its points for
 * REDUCE_SUM, else its newest point (the highest, should a revision
 * come back in several series). A revision with no series is absent (no data), never 0.
 */
export async function valuesByRevision(
  client: MetricServiceClient,
  q: RevisionQuery,
): Promise<Map<string, number>> {
  const seconds = Math.max(1, Math.ceil((q.end.getTime() - q.start.getTime()) / 1000));
  const aggregation: Aggregation = {
    alignmentPeriod: { seconds },
    perSeriesAligner: q.aggregation.perSeriesAligner as Aggregation['perSeriesAligner'],
    crossSeriesReducer: q.aggregation.crossSeriesReducer as Aggregation['crossSeriesReducer'],
    groupByFields: q.aggregation.groupByFields,
  };
  const out = new Map<string, number>();
  let pageToken = '';
  do {
    const [page, , response] = await client.listTimeSeries(
      {
        name: `projects/${q.project}`,
        filter: q.filter,
        interval: { startTime: timestamp(q.start), endTime: timestamp(q.end) },
        aggregation,
        view: 'FULL',
        pageToken,
      },
      { autoPaginate: false },
    );
    for (const series of page) {
      const revision = series.resource?.labels?.revision_name;
      const values = (series.points ?? [])
        .map((p) => scalar(p.value))
        .filter((v): v is number => v !== null);
      if (!revision || values.length === 0) continue;
      const previous = out.get(revision);
      if (q.aggregation.crossSeriesReducer === 'REDUCE_SUM')
        out.set(revision, (previous ?? 0) + values.reduce((a, b) => a + b, 0));
      else out.set(revision, Math.max(previous ?? -Infinity, values[0] ?? -Infinity));
    }
    pageToken = response?.nextPageToken ?? '';
  } while (pageToken);
  return out;
}
