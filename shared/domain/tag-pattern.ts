/**
 * Glob matching for the `tags.include` / `tags.ignore` lists of a service config.
 * Only `*` is special (any run of characters, including none); everything else matches itself,
 * case-sensitively, and the pattern must match the whole tag.
 */
export function matchesTag(pattern: string, tag: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === tag;
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (tag.length < first.length + last.length) return false;
  if (!tag.startsWith(first) || !tag.endsWith(last)) return false;
  let at = first.length;
  const end = tag.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = tag.indexOf(middle, at);
    if (found === -1 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** The first pattern that matches `tag`, or null. */
export function firstMatch(patterns: readonly string[], tag: string): string | null {
  return patterns.find((p) => matchesTag(p, tag)) ?? null;
}
