import type { Config, ServiceConfig } from '../schemas/config.js';

/** What a reference to a service (full name or bare id) means under a config. */
export type ServiceMatch =
  | { kind: 'found'; service: ServiceConfig }
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; candidates: string[] };

/** Narrows a bare-id lookup to one project and/or location (e.g. from an incident's resource labels). */
export interface ServiceScope {
  project?: string | null;
  location?: string | null;
}

const FULL_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/;

/** `{ project, location, id }` of a full service name, or null when `name` is not one. */
export function splitServiceName(
  name: string,
): { project: string; location: string; id: string } | null {
  const m = FULL_NAME.exec(name);
  return m ? { project: m[1] ?? '', location: m[2] ?? '', id: m[3] ?? '' } : null;
}

/**
 * Resolves `ref` against the configured services. A full name
 * (`projects/P/locations/L/services/S`) must be configured as is. A bare service id (`S`) matches
 * every configured service with that id inside `scope`; it resolves only when exactly one does,
 * so an id shared by two projects or regions must be given in full.
 */
export function resolveServiceRef(
  ref: string,
  config: Config,
  scope: ServiceScope = {},
): ServiceMatch {
  if (ref.includes('/')) {
    const service = config.services.find((s) => s.service === ref);
    return service ? { kind: 'found', service } : { kind: 'unknown' };
  }
  const matches = config.services.filter((s) => {
    const parts = splitServiceName(s.service);
    if (!parts || parts.id !== ref) return false;
    if (scope.project && parts.project !== scope.project) return false;
    return !scope.location || parts.location === scope.location;
  });
  const [only, ...more] = matches;
  if (only === undefined) return { kind: 'unknown' };
  if (more.length) return { kind: 'ambiguous', candidates: matches.map((s) => s.service) };
  return { kind: 'found', service: only };
}
