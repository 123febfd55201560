/**
 * Version tags: every candidate is reachable under its version (`v2` for a push of `2.0.0`), as a
 * Cloud Run traffic tag beside its color tag, for as long as that version is deployed. The public
 * path segment is the version (`/api/v2/…`); the Cloud Run tag is `api-` + the version, because
 * Cloud Run refuses tags shorter than 3 characters ("v2" is 2) and the prefix keeps the mapping
 * the same for every version (docs/google-behaviour.md, "Names and limits"). Pure.
 */

/** The default template: the pushed tag's major version, `2.0.0` → `v2`. */
export const DEFAULT_VERSION_TEMPLATE = 'v{major}';
/** Prefix of every version's Cloud Run traffic tag: version `v2` is tagged `api-v2`. */
export const VERSION_TAG_PREFIX = 'api-';

/** Cloud Run tag rules (a DNS label), the 3-character minimum and the 46-character tag + service id budget. */
const TAG = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MIN_TAG_LENGTH = 3;
const MAX_TAG_AND_SERVICE = 46;

const PLACEHOLDER = /\{(major|minor|patch)\}/g;
/** `2`, `2.1`, `2.1.3`, with an optional leading `v` and any pre-release or build suffix. */
const NUMERIC = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+._].*)?$/i;

export type VersionOf =
  { kind: 'version'; version: string; tag: string } | { kind: 'none'; reason: string };

/** Why `template` cannot render version names, or null when it can. For the config schema. */
export function templateProblem(template: string): string | null {
  const rest = template.replace(PLACEHOLDER, '0');
  if (/[{}]/.test(rest)) return 'may use only the placeholders {major}, {minor} and {patch}';
  if (!/^[a-z0-9-]*$/.test(rest)) return 'may hold only lowercase letters, digits and hyphens';
  if (!TAG.test(`${VERSION_TAG_PREFIX}${rest}`))
    return 'must render a name that ends in a letter or digit';
  return null;
}

/** The Cloud Run traffic tag of a version: `v2` → `api-v2`. */
export function tagOfVersion(version: string): string {
  return `${VERSION_TAG_PREFIX}${version}`;
}

/** The version a Cloud Run traffic tag stands for (`api-v2` → `v2`), or null for other tags. */
export function versionOfTag(tag: string): string | null {
  return tag.startsWith(VERSION_TAG_PREFIX) && tag.length > VERSION_TAG_PREFIX.length
    ? tag.slice(VERSION_TAG_PREFIX.length)
    : null;
}

/**
 * The version a pushed tag gives the candidate of service `serviceId`, rendered from `template`.
 * A tag without the numbers the template uses (`latest`, `main`), or a version whose Cloud Run tag
 * breaks Cloud Run's rules, gives none with the reason: the release goes on with its color tag only.
 */
export function versionOf(template: string, pushedTag: string, serviceId: string): VersionOf {
  const numbers = NUMERIC.exec(pushedTag);
  if (!numbers) return none(`tag ${pushedTag} is not a version number like 2.0.0`);
  const parts: Record<string, string | undefined> = {
    major: numbers[1],
    minor: numbers[2],
    patch: numbers[3],
  };
  let missing: string | null = null;
  const version = template.replace(PLACEHOLDER, (_, name: string) => {
    const part = parts[name];
    if (part === undefined) missing = name;
    return part === undefined ? '' : String(Number(part));
  });
  if (missing !== null) return none(`tag ${pushedTag} has no {${missing}} part for ${template}`);
  const tag = tagOfVersion(version);
  if (!TAG.test(tag) || tag.length < MIN_TAG_LENGTH)
    return none(`version tag ${tag} is not a valid Cloud Run tag (lowercase letters, digits, -)`);
  if (tag.length + serviceId.length > MAX_TAG_AND_SERVICE)
    return none(
      `version tag ${tag} and service ${serviceId} together exceed Cloud Run's ${MAX_TAG_AND_SERVICE} characters`,
    );
  return { kind: 'version', version, tag };
}

function none(reason: string): VersionOf {
  return { kind: 'none', reason };
}

/** `{version}` for a new candidate's slot, or nothing when versions are off or the tag has none. */
export function candidateVersion(
  config: { versionTag: string | null },
  pushedTag: string,
  serviceId: string,
): { version?: string } {
  if (config.versionTag === null) return {};
  const found = versionOf(config.versionTag, pushedTag, serviceId);
  return found.kind === 'version' ? { version: found.version } : {};
}

/** Where each deployed version answers: `${apiBase}/v2` for every traffic entry tagged `api-v2`. */
export function versionedUrls(
  traffic: ReadonlyArray<{ revision: string; tag?: string | null | undefined }>,
  apiBase: string,
): Array<{ version: string; revision: string; url: string }> {
  return traffic.flatMap((t) => {
    const version = t.tag ? versionOfTag(t.tag) : null;
    return version ? [{ version, revision: t.revision, url: `${apiBase}/${version}` }] : [];
  });
}

/** The versioned API's base: the configured public URL, else the service's URL, plus the prefix. */
export function apiBaseOf(
  endpoint: { url?: string | undefined; pathPrefix: string },
  serviceUrl: string | null,
): string | null {
  const base = endpoint.url ?? serviceUrl;
  return base ? `${base.replace(/\/+$/, '')}${endpoint.pathPrefix}` : null;
}

/**
 * The base URL a smoke probe of `slot` goes to: its versioned path under `apiBase` when `via` is
 * `versioned-path` and the traffic tags that version on that very revision (a version shared with
 * the stable, or none, has no path of its own), else its tag URL.
 */
export function smokeBase(
  via: 'tag-url' | 'versioned-path',
  slot: { revision: string; version?: string | undefined },
  traffic: ReadonlyArray<{ revision: string; tag: string | null; url: string | null }>,
  apiBase: string | null,
): string | null {
  const tagUrl = traffic.find((t) => t.revision === slot.revision && t.url)?.url ?? null;
  if (via === 'tag-url' || !slot.version || !apiBase || !tagUrl) return tagUrl;
  const tag = tagOfVersion(slot.version);
  const own = traffic.some((t) => t.tag === tag && t.revision === slot.revision);
  return own ? `${apiBase}/${slot.version}` : tagUrl;
}
