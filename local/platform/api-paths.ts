/**
 * The load balancer's URL map, locally (terraform/load-balancer.tf): under the API prefix,
 * `/api/v2/predict` goes to the revision of version v2 as `/predict`, and `/api/predict` follows
 * the split as `/predict`. A path outside the prefix follows the split unchanged (the service URL).
 */
export type ApiRoute =
  { kind: 'version'; version: string; path: string } | { kind: 'split'; path: string };

/** A path segment that names a version: a lowercase letter, then letters, digits, hyphens. */
const VERSION = /^[a-z][a-z0-9-]*$/;

/**
 * How `url` (path and query, as in `req.url`) is routed under `prefix` (`/api`; empty: no API
 * paths). `isVersion` says whether a first segment is a version the service knows; an unknown one
 * is routed to the split like any other path, as the load balancer's `/api/*` rule does.
 */
export function apiRoute(
  url: string,
  prefix: string,
  isVersion: (segment: string) => boolean,
): ApiRoute {
  if (!prefix) return { kind: 'split', path: url };
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`))
    return { kind: 'split', path: url };
  const rest = url.slice(prefix.length);
  const rooted = rest.startsWith('/') ? rest : `/${rest}`;
  const match = /^\/([^/?#]+)(.*)$/.exec(rooted);
  const segment = match?.[1];
  if (segment !== undefined && VERSION.test(segment) && isVersion(segment)) {
    const tail = match?.[2] ?? '';
    return { kind: 'version', version: segment, path: tail.startsWith('/') ? tail : `/${tail}` };
  }
  return { kind: 'split', path: rooted };
}
