import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTfFiles, moduleOf, TERRAFORM_DIR } from './hcl.js';

const files = await loadTfFiles();

describe('terraform READMEs', () => {
  it.each(['', 'examples/basic'])('list every input and output of %s', (folder) => {
    const mod = moduleOf(files, folder);
    const readme = readFileSync(join(TERRAFORM_DIR, folder, 'README.md'), 'utf8');
    const rows = new Set([...readme.matchAll(/^\| ([a-z0-9_]+) \|/gm)].map((m) => m[1]));
    for (const name of [...Object.keys(mod.variables), ...Object.keys(mod.outputs)]) {
      expect(rows, name).toContain(name);
    }
  });
});
