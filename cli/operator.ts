import type { Command } from 'commander';
import { systemClock } from '../shared/ports/clock.js';
import { reportFailure } from './report.js';
import { addTargetOptions, requester, resolveTarget, type TargetOptions } from './target.js';

export const OPERATOR_ACTIONS = ['promote', 'pause', 'resume'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

const DESCRIPTIONS: Record<OperatorAction, string> = {
  promote: 'promote the active release now: the candidate takes 100% and becomes stable',
  pause: 'hold the active release at its current step (no judging, nothing moves)',
  resume: 'let a paused release move on again',
};

export interface OperatorOptions extends TargetOptions {
  by?: string;
}

/**
 * `cutover promote|pause|resume [service]`: publishes `operator.<action>` for the service to the
 * deployment-events topic, where advanceRelease applies it to the active release. Prints the
 * message id as JSON.
 */
export async function runOperator(
  action: OperatorAction,
  ref: string | undefined,
  options: OperatorOptions,
): Promise<number> {
  return reportFailure(async () => {
    const target = resolveTarget(ref, options);
    const event = {
      type: `operator.${action}`,
      service: target.service,
      requestedBy: requester(options.by),
      at: systemClock.now().toISOString(),
    };
    const topic = target.topics.deploymentEvents;
    const messageId = await target.adapters.bus().publish(topic, event);
    process.stdout.write(`${JSON.stringify({ published: topic, messageId, event })}\n`);
    return 0;
  });
}

export function registerOperator(program: Command): void {
  for (const action of OPERATOR_ACTIONS) {
    addTargetOptions(
      program
        .command(action)
        .description(DESCRIPTIONS[action])
        .argument(
          '[service]',
          'full service name or bare id (default: the only configured service)',
        )
        .option('--by <who>', 'who asks (default $USER@cutover-cli)'),
    ).action(async (service: string | undefined, options: OperatorOptions) => {
      process.exitCode = await runOperator(action, service, options);
    });
  }
}
