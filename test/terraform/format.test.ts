import { format } from '@cdktf/hcl-tools';
import { describe, expect, it } from 'vitest';
import { loadTfFiles } from './hcl.js';

const files = await loadTfFiles();

describe('terraform formatting', () => {
  it('covers the module and its example', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'examples/basic/main.tf']));
  });

  it.each(files.map((f) => [f.path, f.text] as const))('%s is canonically formatted', async (_path, text) => {
    expect(await format(text)).toBe(text);
  });

  it('notices a file that is not', async () => {
    const sloppy = 'variable "x" {\n  type = string\n  description = "d"\n}\n';
    expect(await format(sloppy)).not.toBe(sloppy);
  });
});
