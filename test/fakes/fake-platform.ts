import { createHash } from 'node:crypto';
import { COLOR_LABEL } from '../../shared/adapters/gcp/cloud-run-template.js';
import {
  ConflictError,
  DeployFailedError,
  LostRaceError,
  PermanentError,
} from '../../shared/errors.js';
import { decodeRecord, encodeRecord, mergeRecord } from '../../shared/schemas/record-codec.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import type {
  RevisionInfo,
  ServiceChange,
  ServicePlatform,
  ServiceView,
} from '../../shared/ports/service-platform.js';

/** A revision's template as the contract suites compare it (first container only). */
export interface FakeTemplate {
  image: string;
  /** Plain env values. */
  env: Record<string, string>;
  /** Env values from Secret Manager, by variable name. */
  secretEnv: Record<string, { secret: string; version: string }>;
  serviceAccount: string;
  limits: Record<string, string>;
  labels: Record<string, string>;
}

/** Seeds a service with one ready revision serving 100% (optionally under a tag). */
export interface FakeServiceSeed extends Partial<Omit<FakeTemplate, 'image'>> {
  /** Full name `projects/P/locations/L/services/S`. */
  name: string;
  /** Short name, starting with `S-`. */
  revision: string;
  image: string;
  tag?: string;
  record?: ServiceRecord | null;
  /** Other annotations the service carries (kept through every update). */
  annotations?: Record<string, string>;
}

/** Decides whether a new revision becomes ready, like the emulator's revision starter. */
export type FakeStarter = (
  revision: string,
  template: FakeTemplate,
) => { ready: true } | { ready: false; message: string };

interface FakeRevision {
  name: string;
  template: FakeTemplate;
  state: RevisionInfo['state'];
  detail: string;
}

interface FakeService {
  name: string;
  etag: string;
  annotations: Record<string, string>;
  revisions: Map<string, FakeRevision>;
  traffic: Array<{ revision: string; percent: number; tag: string | null }>;
  latestReady: string | null;
  /** The revision made from the service's current template: a deploy copies its template. */
  latestCreated: string;
}

type Method = 'get' | 'revision' | 'update';

/**
 * An in-memory Cloud Run, honest where cutover relies on it: every write changes the etag and a
 * stale one is a ConflictError; traffic must name existing revisions and add up to 100; a deploy
 * copies the service's template (its latest created revision's) and changes only image, color env
 * and color label; a revision that
 * fails to start raises DeployFailedError and leaves traffic as it was (the record is written,
 * as Cloud Run stores the spec); tagged targets get their own URL.
 */
export class FakePlatform implements ServicePlatform {
  private readonly services = new Map<string, FakeService>();
  private readonly faults: Array<{ method: Method; error: Error }> = [];
  private starter: FakeStarter = () => ({ ready: true });
  private writes = 0;
  private readonly afterUpdate: Array<(landed: ServiceRecord) => ServiceRecord> = [];
  /** Every successful or failed update, in order (for assertions on what was asked). */
  readonly updates: Array<{ service: string; change: ServiceChange }> = [];

  seed(seed: FakeServiceSeed): ServiceView {
    const annotations = { ...seed.annotations, ...(seed.record ? encodeRecord(seed.record) : {}) };
    const template: FakeTemplate = {
      image: seed.image,
      env: { ...seed.env },
      secretEnv: { ...seed.secretEnv },
      serviceAccount: seed.serviceAccount ?? 'default-compute@developer.gserviceaccount.com',
      limits: { cpu: '1000m', memory: '512Mi', ...seed.limits },
      labels: { ...seed.labels },
    };
    const revision: FakeRevision = {
      name: seed.revision,
      template,
      state: 'ready',
      detail: 'Ready',
    };
    this.services.set(seed.name, {
      name: seed.name,
      etag: this.nextEtag(),
      annotations,
      revisions: new Map([[seed.revision, revision]]),
      traffic: [{ revision: seed.revision, percent: 100, tag: seed.tag ?? null }],
      latestReady: seed.revision,
      latestCreated: seed.revision,
    });
    return this.view(this.require(seed.name));
  }

  /** Decides the fate of new revisions; null restores "ready at once". */
  setStarter(starter: FakeStarter | null): void {
    this.starter = starter ?? (() => ({ ready: true }));
  }

  /** The next call of `method` rejects with `error` (one fault per call, in order). */
  failNext(method: Method, error: Error): void {
    this.faults.push({ method, error });
  }

  /** A concurrent writer: the service gets a new etag, so a write with the old one conflicts. */
  touch(service: string): void {
    this.require(service).etag = this.nextEtag();
  }

  /**
   * Another writer whose record lands right after the next update and before that update's re-read
   * (as another invocation's can when etag is not enforced): `write` gets the record as the update
   * left it and returns the one that lands. The update then finds another record, as the real
   * adapter does, and rejects with LostRaceError.
   */
  landAfterNextUpdate(write: (landed: ServiceRecord) => ServiceRecord): void {
    this.afterUpdate.push(write);
  }

  /**
   * What `terraform apply` of a template change does: a new revision from the service's template
   * with `change` applied, named by the platform, ready, at 0% (traffic is left as it was).
   */
  applyTemplate(service: string, change: Partial<FakeTemplate>): string {
    const s = this.require(service);
    const template = { ...structuredClone(s.revisions.get(s.latestCreated)!.template), ...change };
    const name = `${serviceId(service)}-${String(s.revisions.size + 1).padStart(5, '0')}-tfm`;
    s.revisions.set(name, { name, template, state: 'ready', detail: 'Ready' });
    s.latestCreated = name;
    s.latestReady = name;
    s.etag = this.nextEtag();
    return name;
  }

  template(service: string, revision: string): FakeTemplate | null {
    const found = this.services.get(service)?.revisions.get(revision);
    return found ? structuredClone(found.template) : null;
  }

  annotations(service: string): Record<string, string> {
    return { ...this.require(service).annotations };
  }

  async get(service: string): Promise<ServiceView> {
    this.fault('get');
    return this.view(this.require(service));
  }

  async revision(service: string, revision: string): Promise<RevisionInfo | null> {
    this.fault('revision');
    const found = this.require(service).revisions.get(revision);
    return found
      ? { name: found.name, image: found.template.image, state: found.state, detail: found.detail }
      : null;
  }

  async update(view: ServiceView, change: ServiceChange): Promise<ServiceView> {
    this.fault('update');
    this.updates.push({ service: view.name, change: structuredClone(change) });
    const s = this.require(view.name);
    if (view.etag !== s.etag) throw new ConflictError(view.name);
    const known = new Set(s.revisions.keys());
    const created = change.deploy ? this.deploy(s, change) : null;
    if (created) known.add(created.name);
    validateTraffic(change, known);
    if (created) s.revisions.set(created.name, created);
    if (created) s.latestCreated = created.name;
    s.annotations = mergeRecord(s.annotations, change.record);
    s.etag = this.nextEtag();
    if (created?.state === 'failed')
      throw new DeployFailedError(view.name, created.name, created.detail);
    if (created) s.latestReady = created.name;
    const notReady = change.traffic.find((t) => s.revisions.get(t.revision)?.state !== 'ready');
    if (notReady)
      throw new PermanentError(
        'UpdateService',
        'CONDITION_FAILED',
        `Revision '${notReady.revision}' is not ready and cannot serve traffic.`,
      );
    s.traffic = change.traffic.map((t) => ({
      revision: t.revision,
      percent: t.percent,
      tag: t.tag ?? null,
    }));
    const other = this.afterUpdate.shift();
    if (other) {
      s.annotations = mergeRecord(s.annotations, other(change.record));
      s.etag = this.nextEtag();
      throw new LostRaceError(view.name);
    }
    return this.view(s);
  }

  private deploy(s: FakeService, change: ServiceChange): FakeRevision {
    const deploy = change.deploy!;
    const from = s.revisions.get(s.latestCreated)!;
    if (s.revisions.has(deploy.revision))
      throw new PermanentError(
        'UpdateService',
        'ALREADY_EXISTS',
        `revision ${deploy.revision} already exists`,
      );
    if (!deploy.revision.startsWith(`${serviceId(s.name)}-`))
      throw new PermanentError(
        'UpdateService',
        'INVALID_ARGUMENT',
        `revision ${deploy.revision} must start with ${serviceId(s.name)}-`,
      );
    const template = structuredClone(from.template);
    template.image = deploy.image;
    for (const [name, value] of Object.entries(deploy.env)) {
      delete template.secretEnv[name];
      template.env[name] = value;
    }
    template.labels[COLOR_LABEL] = deploy.color;
    if (deploy.serviceAccount) template.serviceAccount = deploy.serviceAccount;
    const started = this.starter(deploy.revision, structuredClone(template));
    return started.ready
      ? { name: deploy.revision, template, state: 'ready', detail: 'Ready' }
      : { name: deploy.revision, template, state: 'failed', detail: started.message };
  }

  private view(s: FakeService): ServiceView {
    const url = (tag: string | null): string =>
      `https://${tag ? `${tag}---` : ''}${serviceId(s.name)}-${hash(s.name)}-uc.a.run.app`;
    return {
      name: s.name,
      etag: s.etag,
      record: decodeRecord(s.annotations),
      traffic: s.traffic.map((t) => ({ ...t, url: t.tag ? url(t.tag) : null })),
      written: s.traffic.map((t) => ({
        revision: t.revision,
        percent: t.percent,
        ...(t.tag ? { tag: t.tag } : {}),
      })),
      latestReadyRevision: s.latestReady,
      latestCreatedRevision: s.latestCreated,
      uri: url(null),
    };
  }

  private require(name: string): FakeService {
    const s = this.services.get(name);
    if (!s)
      throw new PermanentError(
        'GetService',
        'NOT_FOUND',
        `Resource '${name}' of kind 'SERVICE' does not exist.`,
      );
    return s;
  }

  private fault(method: Method): void {
    const i = this.faults.findIndex((f) => f.method === method);
    if (i >= 0) throw this.faults.splice(i, 1)[0]!.error;
  }

  private nextEtag(): string {
    this.writes += 1;
    return `"fake-etag-${this.writes}"`;
  }
}

function validateTraffic(change: ServiceChange, known: Set<string>): void {
  const invalid = (detail: string): PermanentError =>
    new PermanentError('UpdateService', 'INVALID_ARGUMENT', detail);
  if (change.traffic.length === 0) throw invalid('traffic must name at least one revision');
  const unknown = change.traffic.find((t) => !known.has(t.revision));
  if (unknown) throw invalid(`traffic names revision ${unknown.revision}, which does not exist`);
  const total = change.traffic.reduce((sum, t) => sum + t.percent, 0);
  if (total !== 100) throw invalid(`traffic percents add up to ${total}, not 100`);
  const tags = change.traffic.flatMap((t) => (t.tag ? [t.tag] : []));
  if (new Set(tags).size !== tags.length) throw invalid('a tag may name one target only');
}

const serviceId = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
const hash = (name: string): string => createHash('sha256').update(name).digest('hex').slice(0, 10);
