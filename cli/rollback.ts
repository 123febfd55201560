import type { Command } from 'commander';
import { act, type ActOptions } from './act.js';
import { addActionOptions } from './operator.js';

interface RollbackOptions extends ActOptions {
  container?: boolean;
}

/**
 * `cutover rollback [service] --reason R [--container]`: publishes a manual rollback request to the
 * rollback topic and waits for the outcome. `traffic` (default) puts 100% back on the stable
 * revision; `--container` deploys the image's newest `rollback-*` tag.
 */
export function registerRollback(program: Command): void {
  addActionOptions(
    program
      .command('rollback')
      .description('roll the active release back (traffic back to stable, or --container)')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .requiredOption('--reason <text>', 'why, recorded in the release history')
      .option('--container', 'redeploy the newest rollback-* image instead of moving traffic'),
  ).action(async (service: string | undefined, options: RollbackOptions) => {
    process.exitCode = await act(
      options.container ? 'rollback-container' : 'rollback',
      service,
      options,
    );
  });
}

/**
 * `cutover undo [service]`: after a promotion, 100% back on the revision it replaced (still
 * deployed at 0%), at once; recorded as a manual rollback of the promoted release.
 */
export function registerUndo(program: Command): void {
  addActionOptions(
    program
      .command('undo')
      .description('undo the last promotion: 100% back on the previous revision, instantly')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .option('--reason <text>', 'why, recorded in the release history'),
  ).action(async (service: string | undefined, options: ActOptions) => {
    process.exitCode = await act('undo', service, options);
  });
}
