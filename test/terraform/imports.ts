import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(new URL('../../', import.meta.url).pathname);

/**
 * Every source file `entry` reaches through relative imports, repository-relative. `runtime`
 * leaves out `import type` / `export type` statements, which compile to nothing.
 */
export function reached(entry: string, { runtime = false } = {}): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    const rel = relative(ROOT, file);
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      if (runtime && /^(?:import|export)\s+type\s/.test(m[0])) continue;
      const spec = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(target)) visit(target);
      else throw new Error(`${rel} imports ${spec}, which does not exist`);
    }
  };
  visit(join(ROOT, entry));
  return seen;
}
