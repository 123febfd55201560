import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { protobuf } from 'google-gax';
import { PROTO_ROOTS } from './protos.js';
import type {
  AnyMessage,
  RevisionMessage,
  RevisionTemplate,
  ServiceMessage,
  Timestamp,
} from './cloud-run-types.js';

/** The Run v2 protos as a protobufjs root with proto field names, the serializer the real server uses. */
function loadRoot(): protobuf.Root {
  const includeDirs = [PROTO_ROOTS.run, PROTO_ROOTS.gax];
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of includeDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return target;
  };
  root.loadSync(['google/cloud/run/v2/service.proto', 'google/cloud/run/v2/revision.proto'], {
    keepCase: true,
  });
  root.resolveAll();
  return root;
}

const root = loadRoot();
const serviceType = root.lookupType('google.cloud.run.v2.Service');
/** The Service message type (proto field names), for walking update-mask paths. */
export const SERVICE_TYPE: protobuf.Type = serviceType;
const templateType = root.lookupType('google.cloud.run.v2.RevisionTemplate');
const revisionType = root.lookupType('google.cloud.run.v2.Revision');
const CONVERSION: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  defaults: false,
  oneofs: false,
};

/**
 * A Service packed into `google.protobuf.Any` with the protobuf encoding, as Cloud Run sends operation
 * metadata and responses; the client decodes `value` with its own Service type.
 */
export function packService(service: ServiceMessage): AnyMessage {
  const message = serviceType.fromObject(service);
  return {
    type_url: 'type.googleapis.com/google.cloud.run.v2.Service',
    value: Buffer.from(serviceType.encode(message).finish()),
  };
}

/** A Revision packed into `google.protobuf.Any`, as DeleteRevision's operation carries it. */
export function packRevision(revision: RevisionMessage): AnyMessage {
  return {
    type_url: 'type.googleapis.com/google.cloud.run.v2.Revision',
    value: Buffer.from(revisionType.encode(revisionType.fromObject(revision)).finish()),
  };
}

/** Decodes a packed Service (tests and diagnostics). */
export function unpackService(any: AnyMessage): ServiceMessage {
  return serviceType.toObject(serviceType.decode(any.value), CONVERSION) as ServiceMessage;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The message without the fields proto3 treats as unset: the client libraries send every field of a
 * message object they were handed back (`revision: ""`, `EXECUTION_ENVIRONMENT_UNSPECIFIED`, `0`…),
 * and a real server cannot tell those from absent fields. Map entries, oneof members and proto3
 * `optional` fields keep their values, since their presence means something.
 */
function pruneDefaults(
  type: protobuf.Type,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const item = value[field.name];
    if (item === undefined || item === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    const prune = (element: unknown): unknown =>
      nested ? pruneDefaults(nested, element as Record<string, unknown>) : element;
    if (field.map) {
      if (Object.keys(item as object).length > 0) out[field.name] = item;
    } else if (field.repeated) {
      if ((item as unknown[]).length > 0) out[field.name] = (item as unknown[]).map(prune);
    } else if (nested || field.partOf) {
      out[field.name] = prune(item);
    } else if (field.resolvedType instanceof protobuf.Enum) {
      if (item !== field.resolvedType.valuesById[0] && item !== 0) out[field.name] = item;
    } else if (item !== '' && item !== 0 && item !== '0' && item !== false) {
      if (!(item instanceof Uint8Array) || item.length > 0) out[field.name] = item;
    }
  }
  return out;
}

/** A Service from a request with proto3 defaults removed (see pruneDefaults). */
export function pruneService(service: ServiceMessage | undefined): ServiceMessage | undefined {
  return service && (pruneDefaults(serviceType, service) as ServiceMessage);
}

/**
 * Whether two revision templates describe the same revision, compared as protobuf messages (unset
 * defaults and map order do not matter). The `revision` name is left out: it is compared on its own.
 */
export function sameTemplate(
  a: RevisionTemplate | undefined,
  b: RevisionTemplate | undefined,
): boolean {
  const canonical = (template: RevisionTemplate | undefined): string => {
    const { revision: _revision, ...rest } = template ?? {};
    return stableStringify(pruneDefaults(templateType, rest));
  };
  return canonical(a) === canonical(b);
}

/** A protobuf Timestamp for a Date. */
export function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  return {
    seconds: String(Math.floor(ms / 1000)),
    nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000,
  };
}

/** A deep copy of a plain wire object (no Buffers inside Service/Revision messages). */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
