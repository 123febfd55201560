import type { Clock } from '../../shared/ports/clock.js';
import { fromMs, type TimeSeries } from '../emulator/monitoring-types.js';
import { parseExposition, type ExposedSample } from './exposition.js';

/** One endpoint to scrape, and the target labels Managed Service for Prometheus records for it. */
export interface ScrapeTarget {
  /** The full `/metrics` URL. */
  url: string;
  job: string;
  instance: string;
  namespace: string;
}

export interface ManagedCollectionOptions {
  project: string;
  location: string;
  /** Where the series go: the emulator's Monitoring store. */
  write(series: TimeSeries[]): void;
  clock: Clock;
  targets(): ScrapeTarget[];
  /** Called with a target that could not be scraped (it is recorded as `up` 0). */
  onError?(target: ScrapeTarget, error: Error): void;
}

/**
 * What Managed Service for Prometheus' managed collection does, on one machine: scrapes each
 * target's `/metrics` and writes every sample to Cloud Monitoring as
 * `prometheus.googleapis.com/NAME/KIND` on the `prometheus_target` resource (project_id, location,
 * cluster, namespace, job, instance), the sample's own labels as metric labels. Counters are
 * CUMULATIVE DOUBLE (`/counter`), gauges GAUGE DOUBLE (`/gauge`), histograms CUMULATIVE
 * DISTRIBUTION (`/histogram`, explicit bounds = the finite `le`s); `up` is a gauge per target.
 * Summaries and untyped samples are not collected. Each series' start time is its target's first
 * scrape, so its points read as running totals.
 */
export class ManagedCollection {
  private readonly started = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ManagedCollectionOptions) {}

  async scrapeOnce(): Promise<void> {
    await Promise.all(this.options.targets().map((t) => this.scrape(t)));
  }

  /** Scrapes every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.scrapeOnce(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async scrape(target: ScrapeTarget): Promise<void> {
    const at = this.options.clock.now().getTime();
    const since = this.started.get(target.url) ?? at - 1;
    this.started.set(target.url, since);
    let samples: ExposedSample[] = [];
    let types: Record<string, string> = {};
    let up = 1;
    try {
      const response = await fetch(target.url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${target.url}`);
      ({ samples, types } = parseExposition(await response.text()));
    } catch (error) {
      up = 0;
      this.options.onError?.(target, error as Error);
    }
    const resource = {
      type: 'prometheus_target',
      labels: {
        project_id: this.options.project,
        location: this.options.location,
        cluster: 'local',
        namespace: target.namespace,
        job: target.job,
        instance: target.instance,
      },
    };
    const interval = { start_time: fromMs(since), end_time: fromMs(at) };
    const series: TimeSeries[] = [
      gauge('up', {}, up, resource, { end_time: fromMs(at) }),
      ...toSeries(samples, types, resource, interval),
    ];
    this.options.write(series);
  }
}

type Resource = TimeSeries['resource'];
type Interval = NonNullable<NonNullable<TimeSeries['points']>[number]['interval']>;

function gauge(
  name: string,
  labels: Record<string, string>,
  value: number,
  resource: Resource,
  interval: Interval,
): TimeSeries {
  return {
    metric: { type: `prometheus.googleapis.com/${name}/gauge`, labels },
    resource,
    metric_kind: 'GAUGE',
    value_type: 'DOUBLE',
    points: [{ interval, value: { double_value: value } }],
  };
}

/** The family a sample belongs to: its own name, or a histogram's name without the suffix. */
function familyOf(name: string, types: Record<string, string>): [string, string] | null {
  if (types[name]) return [name, types[name]];
  const base = name.replace(/_(bucket|sum|count)$/, '');
  if (types[base] === 'histogram') return [base, 'histogram'];
  return null;
}

function toSeries(
  samples: ExposedSample[],
  types: Record<string, string>,
  resource: Resource,
  interval: Interval,
): TimeSeries[] {
  const out: TimeSeries[] = [];
  const histograms = new Map<
    string,
    {
      name: string;
      labels: Record<string, string>;
      le: Map<number, number>;
      sum: number;
      count: number;
    }
  >();
  for (const s of samples) {
    const family = familyOf(s.name, types);
    if (!family) continue;
    const [name, type] = family;
    if (type === 'counter') {
      out.push({
        metric: { type: `prometheus.googleapis.com/${name}/counter`, labels: s.labels },
        resource,
        metric_kind: 'CUMULATIVE',
        value_type: 'DOUBLE',
        points: [{ interval, value: { double_value: s.value } }],
      });
    } else if (type === 'gauge') {
      out.push(gauge(name, s.labels, s.value, resource, { end_time: interval.end_time }));
    } else if (type === 'histogram') {
      const { le, ...labels } = s.labels;
      const key = JSON.stringify([name, Object.entries(labels).sort()]);
      const h = histograms.get(key) ?? { name, labels, le: new Map(), sum: 0, count: 0 };
      histograms.set(key, h);
      if (s.name === `${name}_bucket` && le !== undefined) h.le.set(Number(le), s.value);
      else if (s.name === `${name}_sum`) h.sum = s.value;
      else if (s.name === `${name}_count`) h.count = s.value;
    }
  }
  for (const h of histograms.values()) {
    const bounds = [...h.le.keys()].filter(Number.isFinite).sort((a, b) => a - b);
    const cumulative = bounds.map((b) => h.le.get(b) ?? 0);
    const counts = [
      ...cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]!)),
      h.count - (cumulative.at(-1) ?? 0),
    ];
    out.push({
      metric: { type: `prometheus.googleapis.com/${h.name}/histogram`, labels: h.labels },
      resource,
      metric_kind: 'CUMULATIVE',
      value_type: 'DISTRIBUTION',
      points: [
        {
          interval,
          value: {
            distribution_value: {
              count: String(h.count),
              mean: h.count > 0 ? h.sum / h.count : 0,
              sum_of_squared_deviation: 0,
              bucket_options: { explicit_buckets: { bounds } },
              bucket_counts: counts.map((c) => String(Math.max(0, c))),
            },
          },
        },
      ],
    });
  }
  return out;
}
