import type { Color } from '../schemas/config.js';
import type { Slot } from '../schemas/release.js';
import type { TrafficTarget } from './commands.js';
import { tagOfVersion } from './version-tag.js';

/**
 * Traffic maths on our own small types. Every split names revisions explicitly (never "latest"),
 * its percents are integers that sum to 100, a revision appears once, and every entry carries the
 * slot's color as its tag, so both colors keep a tag URL even at 0%. A slot with a version (v2)
 * also gets a 0% tag-only entry under its version tag (`api-v2`), listed after the color entries;
 * when two slots share a version, the first slot named keeps the tag.
 * Impossible inputs (same revision on both sides, same color twice, a percent outside 0..100)
 * throw an Error that says what is wrong: they are programming errors, not runtime conditions.
 */

/** The color a candidate takes when `color` holds the stable revision. */
export function otherColor(color: Color): Color {
  return color === 'blue' ? 'green' : 'blue';
}

/** One step of a release: the candidate serves `percent`, the stable the rest; both keep their tags. */
export function stepSplit(stable: Slot, candidate: Slot, percent: number): TrafficTarget[] {
  assertPercent(percent, 'step percent');
  const colors = checkedSplit([
    { revision: stable.revision, percent: 100 - percent, tag: stable.color },
    { revision: candidate.revision, percent, tag: candidate.color },
  ]);
  return withVersionTags(colors, [stable, candidate]);
}

/**
 * All traffic back on the stable revision. The candidate, when given, stays at 0% with its color
 * tag so it can still be inspected on its tag URL. Its version tag leaves the failed revision and
 * points at the stable, so clients of `/api/v2/…` are served by the stable instead of failing,
 * until the next release writes the traffic again.
 */
export function revertSplit(stable: Slot, candidate: Slot | null): TrafficTarget[] {
  const targets: TrafficTarget[] = [{ revision: stable.revision, percent: 100, tag: stable.color }];
  if (candidate) targets.push({ revision: candidate.revision, percent: 0, tag: candidate.color });
  const versions = candidate?.version
    ? [stable, { ...stable, version: candidate.version }]
    : [stable];
  return withVersionTags(checkedSplit(targets), versions);
}

/**
 * The promoted revision takes 100%; the previous stable stays at 0% under its own color tag and
 * keeps its version tag while it is deployed (the promoted one wins a shared version).
 */
export function promoteSplit(promoted: Slot, previous: Slot): TrafficTarget[] {
  const colors = checkedSplit([
    { revision: promoted.revision, percent: 100, tag: promoted.color },
    { revision: previous.revision, percent: 0, tag: previous.color },
  ]);
  return withVersionTags(colors, [promoted, previous]);
}

/** 100% to one revision, tagged with its color (e.g. after a container rollback). */
export function soleSplit(slot: Slot): TrafficTarget[] {
  return withVersionTags(
    checkedSplit([{ revision: slot.revision, percent: 100, tag: slot.color }]),
    [slot],
  );
}

/**
 * Appends a 0% tag-only entry per slot version, in slot order; a version already tagged (a shared
 * major) stays on the first slot. Cloud Run serves one revision under several tags this way
 * (one traffic entry per tag, as gcloud's `--update-tags` writes them).
 */
export function withVersionTags(targets: TrafficTarget[], slots: Slot[]): TrafficTarget[] {
  const out = [...targets];
  const used = new Set(targets.flatMap((t) => (t.tag === undefined ? [] : [t.tag])));
  for (const slot of slots) {
    if (slot.version === undefined) continue;
    const tag = tagOfVersion(slot.version);
    if (used.has(tag)) continue;
    used.add(tag);
    out.push({ revision: slot.revision, percent: 0, tag });
  }
  return out;
}

/**
 * The percent the candidate serves in a traffic list (as read from `trafficStatuses`). A revision
 * listed twice (a tag-only entry beside a percent entry) counts once per entry; absent means 0.
 */
export function candidatePercent(
  traffic: Array<{ revision: string; percent: number }>,
  candidate: string,
): number {
  return traffic.filter((t) => t.revision === candidate).reduce((sum, t) => sum + t.percent, 0);
}

/**
 * The step after `currentIndex`, or null when `currentIndex` is the last step.
 * `currentIndex` -1 means "no step yet" and yields the first step.
 */
export function nextStep(
  steps: number[],
  currentIndex: number,
): { index: number; percent: number } | null {
  if (!Number.isInteger(currentIndex) || currentIndex < -1 || currentIndex >= steps.length) {
    throw new Error(`step index ${currentIndex} is outside the ${steps.length} configured steps`);
  }
  const index = currentIndex + 1;
  const percent = steps[index];
  return percent === undefined ? null : { index, percent };
}

/**
 * Throws unless `targets` is a valid split: integer percents in 0..100 summing to 100, each
 * revision once, each tag once. Returns the targets for chaining.
 */
export function checkedSplit(targets: TrafficTarget[]): TrafficTarget[] {
  for (const t of targets) assertPercent(t.percent, `percent of ${t.revision}`);
  const sum = targets.reduce((s, t) => s + t.percent, 0);
  if (sum !== 100) throw new Error(`traffic percents must sum to 100, got ${sum}`);
  const revisions = targets.map((t) => t.revision);
  const repeated = revisions.find((r, i) => revisions.indexOf(r) !== i);
  if (repeated !== undefined) {
    throw new Error(`revision ${repeated} appears twice in one traffic split`);
  }
  const tags = targets.flatMap((t) => (t.tag === undefined ? [] : [t.tag]));
  const repeatedTag = tags.find((tag, i) => tags.indexOf(tag) !== i);
  if (repeatedTag !== undefined) {
    throw new Error(
      `tag ${repeatedTag} appears twice in one traffic split (both slots have one color)`,
    );
  }
  return targets;
}

function assertPercent(percent: number, what: string): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new Error(`${what} must be a whole number from 0 to 100, got ${percent}`);
  }
}
