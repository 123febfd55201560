import type { protos, ServicesClient } from '@google-cloud/run';
import { isDeepStrictEqual } from 'node:util';

type RunService = protos.google.cloud.run.v2.IService;

/**
 * What hashicorp/google's `google_cloud_run_v2_service` does on `terraform apply`, reduced to the
 * attributes terraform/service.tf sets plus those cutover writes (docs/google-behaviour.md,
 * "Terraform provider", lists the sources):
 * - Read flattens the service into state, including `template.revision`, the template labels,
 *   `traffic`, and every annotation and label as `effective_annotations` / `effective_labels`.
 * - Plan: an attribute in `ignore_changes` keeps its state value; an Optional+Computed attribute
 *   the configuration leaves unset (`traffic`, container `resources`, `ports`) keeps its state
 *   value; an Optional-only one (`template.revision`, template `labels`) plans to the
 *   configuration's value, null when unset; service annotations and labels are non-authoritative
 *   (only configured keys are managed).
 * - Apply, when the plan has a change: one PATCH without update mask and without etag whose body
 *   is the whole planned object, annotations and labels from the effective maps. Nothing is sent
 *   when the plan is empty.
 */
export interface TfEnv {
  name: string;
  value: string;
}

/** The slice of the resource's state and configuration the model covers. */
export interface TfService {
  template: {
    revision: string | null;
    labels: Record<string, string> | null;
    service_account: string | null;
    scaling: { min_instance_count: number; max_instance_count: number };
    containers: Array<{
      image: string;
      env: TfEnv[];
      resources: { limits: Record<string, string> } | null;
      ports: Array<{ container_port: number }> | null;
    }>;
  };
  traffic: Array<{ type: string; revision: string; percent: number; tag: string }> | null;
  /** effective_annotations in state; the configured annotations in a configuration. */
  annotations: Record<string, string>;
}

/** A path into TfService, as ignore_changes writes it: `template[0].containers[0].env[0]`. */
export type AttrPath = string;

/** Optional+Computed in the provider's schema: unset in the configuration keeps the state value. */
const COMPUTED: AttrPath[] = [
  'traffic',
  'template[0].containers[0].resources',
  'template[0].containers[0].ports',
];

/** Read: the service as the provider flattens it into state. */
export function read(service: RunService): TfService {
  const template = service.template ?? {};
  return {
    template: {
      revision: template.revision || null,
      labels: Object.keys(template.labels ?? {}).length ? { ...template.labels } : null,
      service_account: template.serviceAccount || null,
      scaling: {
        min_instance_count: template.scaling?.minInstanceCount ?? 0,
        max_instance_count: template.scaling?.maxInstanceCount ?? 0,
      },
      containers: (template.containers ?? []).map((c) => ({
        image: c.image ?? '',
        env: (c.env ?? []).map((e) => ({ name: e.name ?? '', value: e.value ?? '' })),
        resources: c.resources?.limits ? { limits: { ...c.resources.limits } } : null,
        ports: (c.ports ?? []).map((p) => ({ container_port: p.containerPort ?? 0 })),
      })),
    },
    traffic: (service.traffic ?? []).map((t) => ({
      type: String(t.type ?? ''),
      revision: t.revision ?? '',
      percent: t.percent ?? 0,
      tag: t.tag ?? '',
    })),
    annotations: { ...service.annotations },
  };
}

/** `template[0].containers[0].env[0]` → ['template', 0, 'containers', 0, 'env', 0]. */
export function parsePath(path: AttrPath): Array<string | number> {
  return path
    .replace(/^\$\{|\}$/g, '')
    .split('.')
    .flatMap((part) => {
      const m = /^(\w+)((?:\[\d+\])*)$/.exec(part);
      if (!m) throw new Error(`unsupported attribute path ${path}`);
      const indexes = [...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1]));
      return [m[1]!, ...indexes];
    });
}

/** Blocks are lists of one in Terraform paths; the model stores them as objects. */
function segmentsOf(path: AttrPath): Array<string | number> {
  const out: Array<string | number> = [];
  const parts = parsePath(path);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === 0 && (parts[i - 1] === 'template' || parts[i - 1] === 'resources')) continue;
    out.push(part);
  }
  return out;
}

function get(value: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | null)?.[k], value);
}

function set(value: unknown, path: Array<string | number>, leaf: unknown): void {
  const parent = get(value, path.slice(0, -1)) as Record<string | number, unknown> | null;
  if (parent) parent[path.at(-1)!] = leaf;
}

export interface Plan {
  planned: TfService;
  /** Attribute paths whose planned value differs from state. */
  changes: string[];
}

/** Plan: configuration and state, ignore_changes and Computed attributes applied. */
export function plan(config: TfService, state: TfService, ignore: readonly AttrPath[]): Plan {
  const planned: TfService = structuredClone(config);
  // Non-authoritative: the state's effective annotations with the configured keys over them.
  planned.annotations = { ...state.annotations, ...config.annotations };
  for (const path of COMPUTED) {
    const segments = segmentsOf(path);
    if (get(config, segments) === null || get(config, segments) === undefined)
      set(planned, segments, structuredClone(get(state, segments)));
  }
  for (const path of ignore) {
    const segments = segmentsOf(path);
    set(planned, segments, structuredClone(get(state, segments)));
  }
  return { planned, changes: diff(planned, state) };
}

function diff(a: unknown, b: unknown, at = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const objects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (!objects || Array.isArray(a) !== Array.isArray(b)) return [at || '(root)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k),
  );
}

/** The PATCH body the provider sends for a planned state (no update mask, no etag). */
export function requestBody(name: string, planned: TfService): RunService {
  const t = planned.template;
  return {
    name,
    annotations: planned.annotations,
    template: {
      ...(t.revision ? { revision: t.revision } : {}),
      ...(t.labels ? { labels: t.labels } : {}),
      ...(t.service_account ? { serviceAccount: t.service_account } : {}),
      scaling: {
        minInstanceCount: t.scaling.min_instance_count,
        maxInstanceCount: t.scaling.max_instance_count,
      },
      containers: t.containers.map((c) => ({
        image: c.image,
        env: c.env.map((e) => ({ name: e.name, value: e.value })),
        ...(c.resources ? { resources: { limits: c.resources.limits } } : {}),
        ...(c.ports ? { ports: c.ports.map((p) => ({ containerPort: p.container_port })) } : {}),
      })),
    },
    ...(planned.traffic
      ? {
          traffic: planned.traffic.map((tr) => ({
            type: tr.type as 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
            revision: tr.revision,
            percent: tr.percent,
            tag: tr.tag,
          })),
        }
      : {}),
  };
}

/** `terraform apply`: refresh, plan, and (only when the plan has changes) PATCH and wait. */
export async function apply(
  services: ServicesClient,
  name: string,
  config: TfService,
  ignore: readonly AttrPath[],
): Promise<Plan> {
  const [service] = await services.getService({ name });
  const result = plan(config, read(service), ignore);
  if (result.changes.length === 0) return result;
  const [operation] = await services.updateService({ service: requestBody(name, result.planned) });
  await operation.promise();
  return result;
}
