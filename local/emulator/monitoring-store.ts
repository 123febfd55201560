import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { seriesFromWire } from './monitoring-codec.js';
import { seriesKey } from './monitoring-types.js';
import type { Series, TimeSeries } from './monitoring-types.js';

/**
 * Time series per project. Points written to an existing series (same metric and resource, type
 * and labels) are appended; a point with the same end time replaces the old one.
 * Unlike the real API, any metric type is accepted, `run.googleapis.com/*` included: the local
 * platform writes Cloud Run's own metrics this way.
 */
export class MonitoringStore {
  private readonly projects = new Map<string, Map<string, Series>>();

  /** Stores series under `project`, or under each series' `resource.labels.project_id`. */
  write(series: TimeSeries[], project?: string): void {
    const parsed = series.map((ts) => {
      const s = seriesFromWire(ts);
      const owner = project ?? s.resource.labels.project_id;
      if (!owner)
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `no project for ${s.metric.type}: give one or set resource.labels.project_id`,
        );
      return { owner, s };
    });
    for (const { owner, s } of parsed) this.append(owner, s);
  }

  /** Every series of a project, points oldest-first. */
  series(project: string): Series[] {
    return [...(this.projects.get(project)?.values() ?? [])];
  }

  clear(): void {
    this.projects.clear();
  }

  private append(project: string, incoming: Series): void {
    const bucket = this.projects.get(project) ?? new Map<string, Series>();
    this.projects.set(project, bucket);
    const key = seriesKey(incoming);
    const existing = bucket.get(key);
    if (!existing) {
      bucket.set(key, incoming);
      return;
    }
    if (existing.kind !== incoming.kind || existing.valueType !== incoming.valueType)
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `${incoming.metric.type} is ${existing.kind} ${existing.valueType}; cannot write ${incoming.kind} ${incoming.valueType} points`,
      );
    const ends = new Set(incoming.points.map((p) => p.endMs));
    existing.points = [
      ...existing.points.filter((p) => !ends.has(p.endMs)),
      ...incoming.points,
    ].sort((a, b) => a.endMs - b.endMs);
    if (incoming.unit) existing.unit = incoming.unit;
  }
}
