import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerLocal } from './local.js';
import { registerLocalPush } from './local-push.js';
import { registerOperator } from './operator.js';
import { registerRetry } from './retry.js';
import { registerRollback, registerUndo } from './rollback.js';
import { registerSimulate } from './simulate.js';
import { registerStatus } from './status.js';
import { registerUi } from './ui.js';
import { registerValidate } from './validate.js';
import { registerWait } from './wait.js';
import { CUTOVER_VERSION } from './version.js';

/** The `cutover` CLI: a registry of commands, one file per command under cli/. */
export function buildProgram(): Command {
  const program = new Command('cutover')
    .description('blue/green releases of Cloud Run services')
    .version(CUTOVER_VERSION, '-v, --version', 'print the cutover version');
  registerDemo(program);
  registerExplain(program);
  registerLocal(program);
  registerLocalPush(program);
  registerStatus(program);
  registerRollback(program);
  registerOperator(program);
  registerUndo(program);
  registerRetry(program);
  registerWait(program);
  registerValidate(program);
  registerUi(program);
  registerSimulate(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}

/** True when this module is the process entry (`tsx cli/main.ts …`), not imported by bin/cutover.js. */
function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) await main();
