import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';

/** One page of a list RPC: the items and the token of the next page ('' on the last page, as proto3 sends it). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * Pages `items` the way Google list methods do: `pageSize` 0 means the server default, the token is
 * opaque to the client (here a base64 offset), a token that does not parse is INVALID_ARGUMENT.
 */
export function paginate<T>(
  items: T[],
  pageSize: number | undefined,
  pageToken: string | undefined,
  defaultSize = 100,
  maxSize = 1000,
): Page<T> {
  if (pageSize !== undefined && pageSize < 0)
    throw new RpcError(grpc.status.INVALID_ARGUMENT, 'page_size must not be negative');
  const size = Math.min(pageSize || defaultSize, maxSize);
  let start = 0;
  if (pageToken) {
    const decoded = Number(
      Buffer.from(pageToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0)
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid page_token "${pageToken}"`);
    start = decoded;
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextPageToken: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : '',
  };
}
