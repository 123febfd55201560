import type { MetricServiceClient } from '@google-cloud/monitoring';
import { splitServiceName } from '../shared/domain/service-ref.js';
import type { Clock } from '../shared/ports/clock.js';
import type { Logger } from '../shared/ports/logger.js';
import { incidentNotification, newIncidentId } from './alert-incident.js';
import type { IncidentNotification, OpenIncident } from './alert-incident.js';
import { alertConditions, breaches } from './alert-policies.js';
import type { AlertCondition, AlertThresholds } from './alert-policies.js';
import { valuesByRevision } from './alert-query.js';

export type { IncidentNotification, OpenIncident } from './alert-incident.js';

export interface AlertEvaluatorOptions {
  /** A plain MetricServiceClient (pointed at the emulator locally). */
  client: MetricServiceClient;
  /** Full names of the services whose policies are evaluated. */
  services: string[];
  thresholds: AlertThresholds;
  predictionMetric: string;
  /** How far back each evaluation looks (one alignment period over the whole window). */
  windowSeconds: number;
  /** Fewer requests than this in the window leave the 5xx ratio unevaluated (default 1). */
  minRequests?: number;
  /** Delivers a notification (the webhook); a rejection is logged and the open is retried. */
  notify: (notification: IncidentNotification) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

/**
 * Evaluates terraform's alert policies (alert-policies.ts) against Cloud Monitoring the way the
 * real service does, per revision of each service: a condition that holds for `durationSeconds`
 * opens an incident and sends the open notification; one that stops holding — or whose revision
 * has no data left in the window — closes it and sends the closed one. One incident per
 * (condition, revision) at a time.
 */
export class AlertEvaluator {
  private readonly conditions: AlertCondition[];
  private readonly since = new Map<string, number>();
  private readonly open = new Map<string, OpenIncident>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.conditions = options.services.flatMap((s) =>
      alertConditions(s, options.thresholds, options.predictionMetric),
    );
  }

  /** The incidents open right now. */
  openIncidents(): OpenIncident[] {
    return [...this.open.values()];
  }

  /** One evaluation of every condition; resolves with the notifications it delivered. */
  async evaluate(): Promise<IncidentNotification[]> {
    const now = this.options.clock.now();
    const start = new Date(now.getTime() - this.options.windowSeconds * 1000);
    const sent: IncidentNotification[] = [];
    for (const condition of this.conditions) {
      const observed = await this.observe(condition, start, now);
      const location = splitServiceName(condition.service)?.location ?? '';
      const service = splitServiceName(condition.service)?.id ?? '';
      const revisions = new Set([...observed.keys(), ...this.revisionsOpenFor(condition)]);
      for (const revision of revisions) {
        const key = `${condition.conditionResource}|${revision}`;
        const value = observed.get(revision) ?? null;
        const holds = value !== null && breaches(condition, value);
        const incident = this.open.get(key);
        if (!holds) {
          this.since.delete(key);
          if (incident) {
            this.open.delete(key);
            const endedAt = Math.floor(now.getTime() / 1000);
            await this.deliver(
              incidentNotification(incident, { open: false, endedAt, observed: value }),
              sent,
            );
          }
          continue;
        }
        const first = this.since.get(key) ?? now.getTime();
        this.since.set(key, first);
        if (incident || now.getTime() - first < condition.durationSeconds * 1000) continue;
        const opened: OpenIncident = {
          id: newIncidentId(),
          condition,
          resource: { project: condition.project, location, service, revision },
          startedAt: Math.floor(now.getTime() / 1000),
          observed: value,
        };
        this.open.set(key, opened);
        if (!(await this.deliver(incidentNotification(opened, { open: true }), sent)))
          this.open.delete(key);
      }
    }
    return sent;
  }

  /** Evaluates every `intervalMs` until stop(); a failing pass is logged, never fatal. */
  start(intervalMs: number): void {
    this.stopped = false;
    const loop = (): void => {
      if (this.stopped) return;
      this.running = this.evaluate()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.warn('alert evaluation failed', { error }))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, intervalMs);
  }

  /** Stops the loop and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async observe(c: AlertCondition, start: Date, end: Date): Promise<Map<string, number>> {
    const query = { project: c.project, aggregation: c.aggregation, start, end };
    const values = await valuesByRevision(this.options.client, { ...query, filter: c.filter });
    if (!c.denominatorFilter) return values;
    const totals = await valuesByRevision(this.options.client, {
      ...query,
      filter: c.denominatorFilter,
    });
    const ratios = new Map<string, number>();
    const min = Math.max(1, this.options.minRequests ?? 1);
    for (const [revision, total] of totals)
      if (total >= min) ratios.set(revision, (values.get(revision) ?? 0) / total);
    return ratios;
  }

  private revisionsOpenFor(c: AlertCondition): string[] {
    return [...this.open.values()]
      .filter((i) => i.condition.conditionResource === c.conditionResource)
      .map((i) => i.resource.revision);
  }

  private async deliver(n: IncidentNotification, sent: IncidentNotification[]): Promise<boolean> {
    const log = this.options.logger.with({
      incidentId: n.incident.incident_id,
      policy: n.incident.policy_name,
      state: n.incident.state,
    });
    try {
      await this.options.notify(n);
      log.info(`alert incident ${String(n.incident.state)}: ${String(n.incident.summary)}`);
      sent.push(n);
      return true;
    } catch (error) {
      log.warn('alert notification not delivered', { error });
      return false;
    }
  }
}
