import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The package's version, read from its package.json (one directory up from cli/ and dist/cli/). */
function readVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const json: unknown = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      const parsed = z.object({ name: z.literal('cutover'), version: z.string() }).safeParse(json);
      if (parsed.success) return parsed.data.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

export const CUTOVER_VERSION = readVersion();
