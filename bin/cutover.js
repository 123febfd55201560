#!/usr/bin/env node
// The `cutover` command. From a clone (cli/main.ts beside this folder) it runs the TypeScript
// through tsx's loader, with no build step; from the published package, which ships the compiled
// dist/ and no TypeScript, it runs the JavaScript as is, with no tsx installed.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
await main(process.argv);
