/**
 * Rollback tags: the Artifact Registry tag put on the previous stable image when a release is
 * promoted. `rollback-YYYYMMDDTHHMMSSZ` (UTC, ISO 8601 basic format) is a valid Docker tag
 * (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`) and sorts by time as a string.
 */

/**
 * The prefix of cutover's own rollback tags, reserved: a push of a tag starting with it never
 * starts a release, whatever `tags.ignore` says (the promotion's own tag publishes an INSERT to
 * `gcr`), and the config refuses a `tags.include` pattern written for it.
 */
export const RESERVED_TAG_PREFIX = 'rollback-';

/** True for every tag under the reserved prefix (`rollback-…`), a real rollback tag or not. */
export function isReservedTag(tag: string): boolean {
  return tag.startsWith(RESERVED_TAG_PREFIX);
}

/**
 * Whether an include pattern is written for the reserved prefix: its fixed start (before the
 * first `*`) begins with `rollback-`, or is `rollback` itself followed by a wildcard. Patterns that
 * merely could match a rollback tag among others (`*`, `roll*`) are fine: the push filter drops
 * those tags anyway.
 */
export function targetsReservedPrefix(pattern: string): boolean {
  const head = pattern.split('*')[0] ?? '';
  return head.startsWith(RESERVED_TAG_PREFIX) || (head === 'rollback' && pattern !== head);
}

const PATTERN = /^rollback-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `rollback-20250102T030405Z` for 2025-01-02T03:04:05.678Z; milliseconds are dropped. */
export function rollbackTag(now: Date): string {
  const iso = now.toISOString(); // throws RangeError on an invalid date
  const year = Number(iso.slice(0, 4));
  if (iso.length !== 24 || year < 1) {
    throw new Error(`cannot build a rollback tag for ${iso}: the year must have four digits`);
  }
  const basic = iso.slice(0, 19).replace(/[-:]/g, '');
  return `rollback-${basic}Z`;
}

/** True for tags `rollbackTag` produces, with a real calendar date and time. */
export function isRollbackTag(tag: string): boolean {
  return rollbackTime(tag) !== null;
}

/**
 * The entry whose tag names the newest time, judged by the timestamp in the name (not by list
 * order). Tags that only look like rollback tags (`rollback-latest`, a 13th month) are ignored.
 * Null when there is none.
 */
export function newestRollbackTag<T extends { tag: string }>(tags: T[]): T | null {
  let newest: { entry: T; time: number } | null = null;
  for (const entry of tags) {
    const time = rollbackTime(entry.tag);
    if (time !== null && (newest === null || time > newest.time)) newest = { entry, time };
  }
  return newest?.entry ?? null;
}

/** Epoch milliseconds named by a rollback tag, or null when the tag is not one. */
function rollbackTime(tag: string): number | null {
  const match = PATTERN.exec(tag);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date.getTime() : null;
}
