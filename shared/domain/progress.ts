import type { ActiveRelease } from './release-input.js';

/**
 * Why the release has made no progress (no phase change, no verdict, no operator action) for
 * longer than `deadlineSeconds`, or null while it is within it. A paused release is held by a
 * person on purpose and never overdue.
 */
export function overdue(release: ActiveRelease, deadlineSeconds: number, now: Date): string | null {
  if (release.phase === 'shifting' && release.paused) return null;
  const since = release.progressAt ?? release.startedAt;
  const idle = (now.getTime() - Date.parse(since)) / 1000;
  if (idle <= deadlineSeconds) return null;
  return `no progress for ${Math.round(idle)} s while ${release.phase} (last at ${since}; progressDeadlineSeconds is ${deadlineSeconds})`;
}
