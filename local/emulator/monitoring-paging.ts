import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import type { Series } from './monitoring-types.js';

const MAX_PAGE = 100_000;

/**
 * Pages ListTimeSeries results as the API documents `page_size`: with view FULL it caps the number
 * of points in a page (a long series continues on the next page under the same header); with
 * HEADERS it caps the number of series. 0 or more than 100 000 means 100 000. The token is an
 * opaque base64url `series:point` position; one that does not parse is INVALID_ARGUMENT.
 * Input points are oldest-first; pages carry them newest-first, as the API returns them.
 */
export function pageSeries(
  series: Series[],
  headersOnly: boolean,
  pageSize: number | undefined,
  pageToken: string | undefined,
): { page: Series[]; nextPageToken: string } {
  if (pageSize !== undefined && pageSize < 0)
    throw new RpcError(grpc.status.INVALID_ARGUMENT, 'page_size must not be negative');
  const budget = !pageSize || pageSize > MAX_PAGE ? MAX_PAGE : pageSize;
  let [si, pi] = decodeToken(pageToken);
  const page: Series[] = [];
  if (headersOnly) {
    const end = si + budget;
    return {
      page: series.slice(si, end),
      nextPageToken: end < series.length ? encodeToken(end, 0) : '',
    };
  }
  let left = budget;
  while (si < series.length && left > 0) {
    const s = series[si]!;
    const newestFirst = [...s.points].reverse();
    const chunk = newestFirst.slice(pi, pi + left);
    page.push({ ...s, points: [...chunk].reverse() });
    left -= chunk.length;
    pi += chunk.length;
    if (pi >= s.points.length) {
      si += 1;
      pi = 0;
    }
  }
  return { page, nextPageToken: si < series.length ? encodeToken(si, pi) : '' };
}

function encodeToken(series: number, point: number): string {
  return Buffer.from(`${series}:${point}`).toString('base64url');
}

function decodeToken(token: string | undefined): [number, number] {
  if (!token) return [0, 0];
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid page_token "${token}"`);
  return [Number(m[1]), Number(m[2])];
}
