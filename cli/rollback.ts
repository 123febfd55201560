import type { Command } from 'commander';
import { InvalidPayloadError } from '../shared/errors.js';
import { parseRollbackRequest } from '../shared/schemas/inbound/rollback-request.js';
import { reportFailure } from './report.js';
import { addTargetOptions, requester, resolveTarget, type TargetOptions } from './target.js';

export interface RollbackOptions extends TargetOptions {
  container?: boolean;
  reason: string;
  by?: string;
}

/**
 * `cutover rollback [service] --reason R [--container] [--by WHO]`: publishes the manual rollback
 * request `{service, mode, reason, requestedBy}` to the rollback topic, where the rollback
 * function acts on it. `traffic` mode (default) puts 100% back on the stable revision; `--container`
 * deploys the image's newest `rollback-*` tag. Prints the message id as JSON.
 */
export async function runRollback(
  ref: string | undefined,
  options: RollbackOptions,
): Promise<number> {
  return reportFailure(async () => {
    const target = resolveTarget(ref, options);
    const request = parseRollbackRequest({
      service: target.service,
      mode: options.container ? 'container' : 'traffic',
      reason: options.reason,
      requestedBy: requester(options.by),
    });
    const topic = target.topics.rollbackRequests;
    const messageId = await target.adapters.bus().publish(topic, request);
    process.stdout.write(`${JSON.stringify({ published: topic, messageId, request })}\n`);
    return 0;
  }).catch((error: unknown) => {
    if (!(error instanceof InvalidPayloadError)) throw error;
    process.stderr.write(`cutover: ${error.message}\n`);
    return 1;
  });
}

export function registerRollback(program: Command): void {
  addTargetOptions(
    program
      .command('rollback')
      .description('publish a manual rollback request (traffic back to stable, or --container)')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .requiredOption('--reason <text>', 'why, recorded in the release history')
      .option('--container', 'redeploy the newest rollback-* image instead of moving traffic')
      .option('--by <who>', 'who asks (default $USER@cutover-cli)'),
  ).action(async (service: string | undefined, options: RollbackOptions) => {
    process.exitCode = await runRollback(service, options);
  });
}
