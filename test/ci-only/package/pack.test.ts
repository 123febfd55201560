import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The published artifact, as a team adopting cutover gets it: `npm pack` of this repository (its
 * prepack builds dist/ and pins the dependency tree as npm-shrinkwrap.json), installed into an
 * empty folder with no network, then its own `cutover` bin runs the demo to a promotion.
 *
 * Offline, npm can only install what its cache holds by integrity: the tarballs `npm ci` fetched
 * for this repository, not the registry's package documents a fresh resolution needs. So the
 * folder installs the tree the package pins (its shrinkwrap) through a lockfile that names the
 * tarball, which is what npm installs online too. Slow (a build, ~650 packages, a release): it runs
 * from .ci/suites/package, not npm test.
 */

const ROOT = resolve(new URL('../../../', import.meta.url).pathname);
const work = mkdtempSync(join(tmpdir(), 'cutover-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LockEntry = z.looseObject({ dev: z.boolean().optional() });
const Shrinkwrap = z.object({ packages: z.record(z.string(), LockEntry) });
const Manifest = z.looseObject({
  version: z.string(),
  dependencies: z.record(z.string(), z.string()),
  bin: z.record(z.string(), z.string()),
});
const Outcome = z.looseObject({
  type: z.literal('demo.outcome'),
  ok: z.boolean(),
  phase: z.string(),
});

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A lockfile for `app` that installs the tarball and exactly the production tree it pins. */
function lockfileFor(tarball: string, app: string): void {
  run(
    'tar',
    ['xzf', tarball, '-C', work, 'package/package.json', 'package/npm-shrinkwrap.json'],
    work,
  );
  const manifest = Manifest.parse(
    JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8')),
  );
  const shrinkwrap = Shrinkwrap.parse(
    JSON.parse(readFileSync(join(work, 'package/npm-shrinkwrap.json'), 'utf8')),
  );
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'adopter', dependencies: { cutover: spec } },
    'node_modules/cutover': {
      version: manifest.version,
      resolved: spec,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
    },
  };
  for (const [path, entry] of Object.entries(shrinkwrap.packages)) {
    if (path !== '' && entry.dev !== true) packages[path] = entry;
  }
  const pkg = { name: 'adopter', private: true, dependencies: { cutover: spec } };
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  const lock = { name: 'adopter', lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
}

describe('the packed package', () => {
  it('installs offline without devDependencies and its `cutover demo` ends promoted', () => {
    const packed = z
      .array(z.object({ filename: z.string() }))
      .parse(JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)));
    const tarball = join(work, packed[0]!.filename);
    expect(existsSync(join(ROOT, 'npm-shrinkwrap.json'))).toBe(false); // postpack removed it

    const app = join(work, 'app');
    mkdirSync(app);
    lockfileFor(tarball, app);
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);

    const installed = join(app, 'node_modules');
    expect(existsSync(join(installed, 'cutover/dist/cli/main.js'))).toBe(true);
    // What the Terraform module in the package zips as the functions' source (terraform/storage.tf).
    for (const file of ['dist/functions/index.js', 'npm-shrinkwrap.json', 'terraform/storage.tf']) {
      expect(existsSync(join(installed, 'cutover', file)), file).toBe(true);
    }
    expect(existsSync(join(installed, 'cutover/cli'))).toBe(false); // no TypeScript shipped
    expect(existsSync(join(installed, 'tsx'))).toBe(false); // nor the loader that runs it
    expect(existsSync(join(installed, 'vitest'))).toBe(false);

    const bin = join(installed, '.bin/cutover');
    expect(run(bin, ['--version'], app).trim()).toBe(
      Manifest.parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).version,
    );
    const demo = spawnSync(bin, ['demo', '--json', '--state-dir', join(work, 'state')], {
      cwd: app,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const lines = demo.stdout.trim().split('\n');
    const outcome = Outcome.parse(JSON.parse(lines.at(-1) ?? '{}'));
    expect({ status: demo.status, ok: outcome.ok, phase: outcome.phase }, demo.stderr).toEqual({
      status: 0,
      ok: true,
      phase: 'promoted',
    });
  });
});
