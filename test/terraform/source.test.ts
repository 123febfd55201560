import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTfFiles, moduleOf } from './hcl.js';
import { reached, ROOT } from './imports.js';

const mod = moduleOf(await loadTfFiles(), '');

describe('the uploaded function source', () => {
  it('zips package.json, the lock file and the compiled functions and shared folders only', () => {
    expect(mod.locals.source_files).toBe(
      '${sort(concat(\n    ["package.json"],\n    tolist(fileset(local.package_dir, "{npm-shrinkwrap.json,package-lock.json}")),\n    tolist(fileset(local.package_dir, "dist/functions/**/*.js")),\n    tolist(fileset(local.package_dir, "dist/shared/**/*.js")),\n  ))}',
    );
  });

  it('deploys the package the module ships in unless package_dir names another release', () => {
    expect(mod.variables.package_dir?.default).toBeNull();
    expect(mod.locals.package_dir).toBe('${coalesce(var.package_dir, "${path.module}/..")}');
  });

  it('ships in the npm package with everything it zips, so an installed release deploys itself', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      files: string[];
      scripts: Record<string, string>;
    };
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];
    const paths = new Set(packed[0]!.files.map((f) => f.path));
    for (const file of mod.files.map((f) => `terraform/${f.path}`)) expect(paths, file).toContain(file);
    expect(paths).toContain('package.json');
    // dist/ and the shrinkwrap exist only while packing: prepack builds them, postpack drops the copy.
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/', 'npm-shrinkwrap.json']));
    expect(pkg.scripts.prepack).toMatch(/npm run build && cp package-lock\.json npm-shrinkwrap\.json$/);
  });

  it('holds everything the functions import: nothing outside functions/ and shared/', () => {
    const files = [...reached('functions/index.ts')];
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !f.startsWith('functions/') && !f.startsWith('shared/'))).toEqual([]);
  });

  it('starts the functions from the uploaded entry', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      engines: { node: string };
    };
    expect(pkg.main).toBe('dist/functions/index.js');
    // Development runs on Node >= 20.19 (vite 8's floor); the functions deploy on nodejs22.
    expect(pkg.engines.node).toBe('>=20.19');
  });
});
