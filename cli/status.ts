import type { Command } from 'commander';
import { serviceConfig } from '../shared/schemas/config.js';
import { apiBaseOf } from '../shared/domain/version-tag.js';
import { renderStatus } from './status-view.js';
import { addTargetOptions, resolveTarget, type TargetOptions } from './target.js';
import { reportFailure } from './report.js';

export interface StatusOptions extends TargetOptions {
  json?: boolean;
}

/**
 * `cutover status [service]`: reads the service once through the platform adapter and prints the
 * traffic split, the release's phase and step, the last verdict and the history (`--json`: the
 * service view as read, record included). Exit code 0, or 1 when the service cannot be read.
 */
export async function runStatus(ref: string | undefined, options: StatusOptions): Promise<number> {
  return reportFailure(async () => {
    const target = resolveTarget(ref, options);
    const view = await target.adapters.platform().get(target.service);
    if (options.json) {
      const { etag: _etag, ...shown } = view;
      process.stdout.write(`${JSON.stringify(shown)}\n`);
    } else {
      const configured = target.config ? serviceConfig(target.config, target.service) : undefined;
      const steps = configured?.steps ?? null;
      const apiBase = configured ? apiBaseOf(configured.endpoint, view.uri) : null;
      process.stdout.write(`${renderStatus(view, steps, apiBase).join('\n')}\n`);
    }
    return 0;
  });
}

export function registerStatus(program: Command): void {
  addTargetOptions(
    program
      .command('status')
      .description('show the traffic split, release phase, step, last verdict and history')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .option('--json', 'print the service view as JSON'),
  ).action(async (service: string | undefined, options: StatusOptions) => {
    process.exitCode = await runStatus(service, options);
  });
}
