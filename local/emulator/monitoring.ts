import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { seriesToWire } from './monitoring-codec.js';
import { pageSeries } from './monitoring-paging.js';
import { runQuery } from './monitoring-query.js';
import type { QueryRequest } from './monitoring-query.js';
import { MonitoringStore } from './monitoring-store.js';
import type { Series, TimeSeries } from './monitoring-types.js';
import { loadProto, serviceDefinition } from './protos.js';

export type { TimeSeries } from './monitoring-types.js';

const SERVICE = 'google.monitoring.v3.MetricService';

/** What tests and the local platform use directly. */
export interface MonitoringState {
  /** Stores series as CreateTimeSeries would (project from `resource.labels.project_id` unless given). */
  write(series: TimeSeries[], project?: string): void;
  /** Every stored series of a project, in wire form (points newest-first). */
  list(project: string): TimeSeries[];
  /** Every stored series of a project in the emulator's own shape (points oldest-first). */
  series(project: string): Series[];
  clear(): void;
}

interface ListRequest extends QueryRequest {
  name?: string;
  view?: string;
  page_size?: number;
  page_token?: string;
}

/**
 * Cloud Monitoring v3 MetricService: CreateTimeSeries and ListTimeSeries (the other methods answer
 * UNIMPLEMENTED). See monitoring-query.ts for the query semantics.
 */
export function createMonitoring(ctx: EmulatorContext): {
  services: Array<{
    definition: grpc.ServiceDefinition;
    implementation: grpc.UntypedServiceImplementation;
  }>;
  state: MonitoringState;
} {
  const store = new MonitoringStore();
  const definition = serviceDefinition(
    loadProto('monitoring', 'google/monitoring/v3/metric_service.proto'),
    SERVICE,
  );

  const implementation: grpc.UntypedServiceImplementation = {
    CreateTimeSeries: unary(
      ctx,
      `${SERVICE}/CreateTimeSeries`,
      (req: { name?: string; time_series?: TimeSeries[] }) => {
        const project = projectOf(req.name);
        if (!req.time_series?.length)
          throw new RpcError(grpc.status.INVALID_ARGUMENT, 'time_series is required');
        store.write(req.time_series, project);
        return {};
      },
    ),
    ListTimeSeries: unary(ctx, `${SERVICE}/ListTimeSeries`, (req: ListRequest) => {
      const series = runQuery(store.series(projectOf(req.name)), req);
      const headersOnly = req.view === 'HEADERS';
      const { page, nextPageToken } = pageSeries(
        series,
        headersOnly,
        req.page_size,
        req.page_token,
      );
      return {
        time_series: page.map((s) => seriesToWire(s, headersOnly)),
        next_page_token: nextPageToken,
        execution_errors: [],
        unit: commonUnit(page),
      };
    }),
  };

  return {
    services: [{ definition, implementation }],
    state: {
      write: (series, project) => store.write(series, project),
      list: (project) => store.series(project).map((s) => seriesToWire(s)),
      series: (project) => store.series(project),
      clear: () => store.clear(),
    },
  };
}

/** `projects/P` (or `organizations/…`/`folders/…`, which the emulator does not hold) → P. */
function projectOf(name: string | undefined): string {
  const m = /^projects\/([^/]+)$/.exec(name ?? '');
  if (!m)
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `name must be "projects/PROJECT_ID_OR_NUMBER", got "${name ?? ''}"`,
    );
  return m[1]!;
}

/** The response `unit`: the unit all series share, `{not_a_unit}` when they differ, '' when none. */
function commonUnit(series: Series[]): string {
  const units = new Set(series.map((s) => s.unit));
  if (units.size === 0) return '';
  if (units.size > 1) return '{not_a_unit}';
  return [...units][0] ?? '';
}
