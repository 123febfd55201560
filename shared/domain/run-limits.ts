/**
 * Cloud Run's name limits that cutover's own names must fit (sources in docs/google-behaviour.md,
 * "Names and limits"). Pure: the config schema and the emulator both check against these.
 */

/** A traffic tag and the service id together: they form the tag URL's DNS label. */
export const MAX_TAG_AND_SERVICE = 46;
/** Tags shorter than this are refused. */
export const MIN_TAG_LENGTH = 3;
/** Revision names must be less than 64 characters. */
export const MAX_REVISION_NAME = 63;
/** Service ids must contain fewer than 50 characters. */
export const MAX_SERVICE_ID = 49;
/** The tags cutover itself puts on revisions: the two colors. */
export const COLOR_TAGS = ['blue', 'green'] as const;

const LONGEST_COLOR_TAG = Math.max(...COLOR_TAGS.map((tag) => tag.length));

/** The longest service id whose color tags all fit beside it: 46 − len("green") = 41. */
export const MAX_RELEASABLE_SERVICE_ID = MAX_TAG_AND_SERVICE - LONGEST_COLOR_TAG;

/** Why `tag` cannot be a traffic tag of service `serviceId`, or null when it can. */
export function tagProblem(tag: string, serviceId: string): string | null {
  if (tag.length < MIN_TAG_LENGTH)
    return `traffic tag '${tag}' is too short: Cloud Run tags must have at least ${MIN_TAG_LENGTH} characters`;
  if (tag.length + serviceId.length > MAX_TAG_AND_SERVICE)
    return `traffic tag '${tag}' and service name '${serviceId}' together are too long. Combined traffic tag and service name cannot exceed ${MAX_TAG_AND_SERVICE} characters.`;
  return null;
}
