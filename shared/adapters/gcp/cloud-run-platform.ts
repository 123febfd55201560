import { status } from '@grpc/grpc-js';
import type { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { ConflictError, DeployFailedError, PermanentError } from '../../errors.js';
import type {
  DeployRevision,
  RevisionInfo,
  ServiceChange,
  ServicePlatform,
  ServiceView,
} from '../../ports/service-platform.js';
import { grpcCode, serverMessage, toCutoverError } from './grpc-errors.js';
import { operationError } from './cloud-run-operation-errors.js';
import { NO_GAX_RETRY, withRetry, type RetryPolicy } from './retry.js';
import {
  conditionDetail,
  conditionState,
  plain,
  shortRevision,
  toRevisionInfo,
  toServiceView,
  type RunService,
} from './cloud-run-mapping.js';
import { renamedChange, renamedRecord } from './cloud-run-deploy.js';
import { confirmLanded, deployRequest, recordRequest } from './cloud-run-masks.js';
import { templateFrom } from './cloud-run-template.js';

/** How many times the write after a deploy is made again after a conflict (writeAfterDeploy). */
const WRITE_AFTER_DEPLOY_ATTEMPTS = 5;

export interface CloudRunPlatformOptions {
  services: ServicesClient;
  revisions: RevisionsClient;
  retry?: RetryPolicy;
}

/**
 * ServicePlatform on the Cloud Run Admin API v2. Every write is one UpdateService with an update
 * mask, carrying the etag as read and only the fields the mask names (cloud-run-masks.ts), so
 * nothing cutover does not own is sent back:
 * - traffic and record: `traffic` (the full list of REVISION targets) and `annotations` (the
 *   service's annotations as read with the `cutover.dev/` ones replaced); a write that leaves the
 *   traffic as written sends `annotations` alone. No template, so a template as read is never
 *   re-sent (409 "Revision named '…' with different configuration already exists").
 * - a deploy: `template` (whole, built from the service's own) and `traffic` (pinned), then the
 *   traffic and record naming the revision as Cloud Run named it.
 * After the operation, the service is read again and the `cutover.dev/` annotations that landed are
 * compared with the ones written: another writer's record there (a write etag did not stop) is a
 * LostRaceError, a ConflictError, so the decision is made again on what is there.
 */
export class CloudRunPlatform implements ServicePlatform {
  /** The raw service behind each view this adapter returned, so update() need not re-read it. */
  private readonly raw = new WeakMap<ServiceView, RunService>();

  constructor(private readonly options: CloudRunPlatformOptions) {}

  async get(service: string): Promise<ServiceView> {
    const raw = await this.getService(service);
    return this.view(raw);
  }

  async revision(service: string, revision: string): Promise<RevisionInfo | null> {
    const name = `${service}/revisions/${revision}`;
    try {
      const [found] = await withRetry(
        'GetRevision',
        () => this.options.revisions.getRevision({ name }, NO_GAX_RETRY),
        this.retryOptions(name),
      );
      return toRevisionInfo(found);
    } catch (error) {
      if (grpcCode((error as Error).cause) === status.NOT_FOUND) return null;
      throw error;
    }
  }

  async update(view: ServiceView, change: ServiceChange): Promise<ServiceView> {
    if (change.traffic.length === 0) {
      throw new PermanentError(
        'UpdateService',
        'INVALID_ARGUMENT',
        'traffic must name at least one revision (an empty list means 100% to LATEST)',
      );
    }
    const current = this.raw.get(view) ?? (await this.getService(view.name));
    if (!change.deploy) return this.write(view.name, current, view.etag, change);
    // The deploy carries the record (the release provisioning), so a tick between the deploy and
    // the write after it sees the release it belongs to, not a revision nobody asked for.
    const deployed = await this.deploy(view.name, current, view.etag, {
      ...change,
      deploy: change.deploy,
    });
    const renamed = renamedChange(change, deployed.revision);
    const names = { asked: change.deploy.revision, actual: deployed.revision };
    if (deployed.failure === null)
      return this.writeAfterDeploy(view.name, deployed.service, renamed, names);
    // The record is written (the release knows its failed candidate); traffic stays off it. A
    // change that routed only to the new revision (a container rollback) keeps the traffic as it
    // was read: an empty list would mean 100% to LATEST, whichever revision that is.
    const others = renamed.traffic.filter((t) => t.revision !== deployed.revision);
    await this.writeAfterDeploy(
      view.name,
      deployed.service,
      { ...renamed, traffic: others.length > 0 ? others : view.written },
      names,
    );
    throw new DeployFailedError(view.name, deployed.revision, deployed.failure);
  }

  /**
   * The write after a deploy: the record naming the new revision as Cloud Run named it, and the
   * traffic. Until it lands the service holds the deploy's record, which names the revision as
   * cutover asked for it; a write in between (a tick clearing the effects it carried out) built on
   * that record, and a conflict must not drop this write, since the delivery is recorded as acted
   * on and nothing else would move the traffic. So on a conflict it is made again on the record
   * as it is now, renamed (renamedRecord). A record that no longer names the asked revision was
   * not built on the deploy's: the conflict stands, and the decision is made again on it.
   */
  private async writeAfterDeploy(
    name: string,
    deployed: RunService,
    change: Omit<ServiceChange, 'deploy'>,
    names: { asked: string; actual: string },
  ): Promise<ServiceView> {
    let current = deployed;
    let record = change.record;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(name, current, current.etag ?? '', { ...change, record });
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= WRITE_AFTER_DEPLOY_ATTEMPTS)
          throw error;
        current = await this.getService(name);
        const there = toServiceView(current).record;
        const rebased = there ? renamedRecord(there, names.asked, names.actual) : null;
        if (!rebased) throw error;
        record = rebased;
      }
    }
  }

  /**
   * Makes the new revision from the service's own template (templateFrom), unnamed, with traffic
   * and annotations as read; waits for it. Answers the service after, the revision Cloud Run
   * created, and why it failed to start (null when it is ready).
   */
  private async deploy(
    name: string,
    current: RunService,
    etag: string,
    change: ServiceChange & { deploy: DeployRevision },
  ): Promise<{ service: RunService; revision: string; failure: string | null }> {
    const { deploy, traffic, record } = change;
    const before = current.latestCreatedRevision ?? '';
    const request = deployRequest(current, etag, templateFrom(current.template, deploy), {
      traffic,
      record,
      deployed: deploy.revision,
    });
    let failure: string | null = null;
    let service: RunService;
    try {
      const [operation] = await withRetry(
        'UpdateService',
        () => this.options.services.updateService(request, NO_GAX_RETRY),
        this.retryOptions(name),
      );
      const [response] = await operation.promise();
      service = plain(response);
      if (conditionState(service.terminalCondition) === 'CONDITION_FAILED')
        failure = conditionDetail(service.terminalCondition);
      if (!service.etag || !service.latestCreatedRevision) service = await this.getService(name);
    } catch (error) {
      // The deploy may have landed though its answer was lost (a retry then conflicts on the etag)
      // or its revision failed to start: either way the service now names a new revision made
      // from this template. Anything else is the write's own error.
      service = await this.getService(name);
      const created = service.latestCreatedRevision ?? '';
      const ours = service.template?.containers?.[0]?.image === deploy.image;
      if (!created || created === before || !ours)
        throw toCutoverError('UpdateService', error, name);
      // Still starting is not a failure: the tick checks the candidate's readiness.
      // Code 9 is Cloud Run's own word that this revision cannot serve ("Revision '…' is not ready
      // and cannot serve traffic. The user-provided container failed to start…").
      const refused = grpcCode(error) === status.FAILED_PRECONDITION ? serverMessage(error) : null;
      const revision = refused ? null : await this.revision(name, shortRevision(created));
      failure = refused ?? (revision?.state === 'failed' ? revision.detail : null);
    }
    const revision = shortRevision(service.latestCreatedRevision ?? '');
    if (!revision)
      throw new PermanentError('UpdateService', 'INTERNAL', `${name} reports no created revision`);
    return { service, revision, failure };
  }

  /**
   * One traffic-and-record UpdateService guarded by `etag`, masked to what it changes, then the
   * re-read that confirms the record landed (confirmLanded).
   */
  private async write(
    name: string,
    current: RunService,
    etag: string,
    change: Omit<ServiceChange, 'deploy'>,
  ): Promise<ServiceView> {
    const request = recordRequest(current, etag, change);
    const [operation] = await withRetry(
      'UpdateService',
      () => this.options.services.updateService(request, NO_GAX_RETRY),
      this.retryOptions(name),
    );
    let done: RunService;
    try {
      const [response] = await operation.promise();
      done = plain(response);
    } catch (error) {
      throw operationError(error, name, change);
    }
    const failed = conditionState(done.terminalCondition) === 'CONDITION_FAILED';
    const detail = conditionDetail(done.terminalCondition);
    const after = await this.get(name);
    confirmLanded(name, request.service.annotations ?? {}, this.raw.get(after)?.annotations);
    // A traffic-only update may report the service failed because an earlier revision is (the
    // condition covers the latest created revision); it failed only if the traffic did not move.
    if (failed && !servesAsAsked(after, change))
      throw new PermanentError('UpdateService', 'CONDITION_FAILED', detail);
    return after;
  }

  private async getService(name: string): Promise<RunService> {
    const [found] = await withRetry(
      'GetService',
      () => this.options.services.getService({ name }, NO_GAX_RETRY),
      this.retryOptions(name),
    );
    return found;
  }

  private view(raw: RunService): ServiceView {
    const view = toServiceView(raw);
    this.raw.set(view, raw);
    return view;
  }

  private retryOptions(resource: string): { resource: string; policy?: RetryPolicy } {
    return this.options.retry ? { resource, policy: this.options.retry } : { resource };
  }
}

function servesAsAsked(view: ServiceView, change: Omit<ServiceChange, 'deploy'>): boolean {
  const key = (revision: string, percent: number, tag: string | null | undefined): string =>
    `${revision}|${percent}|${tag ?? ''}`;
  const served = new Set(view.traffic.map((t) => key(t.revision, t.percent, t.tag)));
  return change.traffic.every((t) => served.has(key(t.revision, t.percent, t.tag)));
}
