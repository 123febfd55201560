import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';

/** A parsed ListTags filter: which field, and a matcher for its full resource name. */
export interface TagFilter {
  field: 'name' | 'version';
  matches(value: string): boolean;
}

const FILTER = /^\s*(name|version)\s*=\s*"([^"]*)"\s*$/i;

/**
 * Parses the ListTags `filter` forms the API documents: `name="…/tags/T"` or `version="…/versions/V"`,
 * field names case-insensitive, `*` a wildcard anywhere in the value. `%2F` and `/` in the package
 * part compare equal. Anything else is INVALID_ARGUMENT.
 */
export function parseTagFilter(filter: string | undefined): TagFilter | null {
  if (!filter || !filter.trim()) return null;
  const match = FILTER.exec(filter);
  if (!match) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `unsupported filter "${filter}"; use name="…" or version="…"`,
    );
  }
  const pattern = normalise(match[2]!)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${pattern}$`);
  return {
    field: match[1]!.toLowerCase() as 'name' | 'version',
    matches: (value) => regex.test(normalise(value)),
  };
}

function normalise(name: string): string {
  return name.replace(/%2F/gi, '/');
}
