import { protobuf } from 'google-gax';
import { clone, SERVICE_TYPE } from './cloud-run-codec.js';
import { invalid, MUTABLE_FIELDS } from './cloud-run-fields.js';
import type { ServiceMessage } from './cloud-run-types.js';

/** One validated mask path: its proto field names, snake_case. */
type Path = string[];

const snake = (segment: string): string => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The paths of an UpdateService `update_mask`, checked against google.cloud.run.v2.Service
 * (docs/google-behaviour.md, "Updates, masks and revisions"). Null when there is no mask or it is
 * `*`: the whole mutable Service is replaced. Every other path must name fields that exist (camelCase
 * is accepted, as the JSON form of a mask uses it), start at a field a write may set, and may pass
 * through messages only: a repeated or map field ends a path (field_mask.proto: "A repeated field
 * is not allowed except at the last position of a paths string"). Anything else is refused with
 * INVALID_ARGUMENT, as AIP-161 asks of a write.
 */
export function maskPaths(paths: string[] | undefined): Path[] | null {
  if (!paths || paths.length === 0 || paths.includes('*')) return null;
  return paths.map((raw) => {
    const path = raw.split('.').map(snake);
    if (!(MUTABLE_FIELDS as readonly string[]).includes(path[0] ?? ''))
      throw invalid(
        `Invalid update_mask path '${raw}': '${path[0] ?? ''}' is not a field of google.cloud.run.v2.Service that can be updated. Use one of: ${MUTABLE_FIELDS.join(', ')}.`,
      );
    let type: protobuf.Type = SERVICE_TYPE;
    path.forEach((segment, index) => {
      const field = type.fields[segment];
      if (!field)
        throw invalid(
          `Invalid update_mask path '${raw}': ${type.fullName.slice(1)} has no field '${segment}'.`,
        );
      const last = index === path.length - 1;
      if (last) return;
      if (field.repeated || field.map || !(field.resolvedType instanceof protobuf.Type))
        throw invalid(
          `Invalid update_mask path '${raw}': '${segment}' is not a message field, so it must be the last part of a path.`,
        );
      type = field.resolvedType;
    });
    return path;
  });
}

/** The top-level fields the paths touch. */
export function touchedFields(paths: Path[]): Set<string> {
  return new Set(paths.map((p) => p[0] ?? ''));
}

/**
 * `current` with only the masked fields taken from `body` (AIP-134: "fields not in the mask are
 * left untouched"). The field at the end of a path is replaced whole, maps and lists included; a
 * field the body leaves unset is cleared.
 */
export function applyMask(
  current: ServiceMessage,
  body: ServiceMessage,
  paths: Path[],
): ServiceMessage {
  const next = clone(current);
  for (const path of paths) {
    let source: Record<string, unknown> | undefined = body;
    let target: Record<string, unknown> = next;
    for (const segment of path.slice(0, -1)) {
      source = source?.[segment] as Record<string, unknown> | undefined;
      target[segment] ??= {};
      target = target[segment] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1] ?? '';
    const value = source?.[leaf];
    if (value === undefined) delete target[leaf];
    else target[leaf] = clone(value);
  }
  return next;
}
