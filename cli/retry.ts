import type { Command } from 'commander';
import { act, type ActOptions } from './act.js';
import { addActionOptions } from './operator.js';

/**
 * `cutover retry [service] [--image DIGEST]`: publishes `operator.retry` to the deployment-events
 * topic; advanceRelease clears the image from the failed list and releases it again, as a push of
 * it would, recorded with the actor. Default image: the newest release that failed or aborted.
 * Refused at once, saying why, while a release is active.
 */
export function registerRetry(program: Command): void {
  addActionOptions(
    program
      .command('retry')
      .description('release a failed or aborted image again (clears it from the failed list)')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .option(
        '--image <digest>',
        'sha256:… (or IMAGE@sha256:…) to retry (default: the newest failed or aborted release)',
      ),
  ).action(async (service: string | undefined, options: ActOptions) => {
    process.exitCode = await act('retry', service, options);
  });
}
