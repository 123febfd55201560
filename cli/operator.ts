import type { Command } from 'commander';
import { act, DEFAULT_ACTION_TIMEOUT, type ActOptions } from './act.js';
import { addTargetOptions } from './target.js';

export const OPERATOR_ACTIONS = ['promote', 'pause', 'resume'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

const DESCRIPTIONS: Record<OperatorAction, string> = {
  promote: 'promote the active release now: the candidate takes 100% and becomes stable',
  pause: 'hold the active release at its current step (no judging, nothing moves)',
  resume: 'let a paused release move on again',
};

/** Options of every mutating command: who, and how long to wait for the outcome. */
export function addActionOptions(command: Command): Command {
  return addTargetOptions(
    command
      .option(
        '--by <who>',
        'who asks, recorded as the actor (default: gcloud account, else $USER@cutover-cli)',
      )
      .option(
        '--timeout <duration>',
        `how long to wait for the outcome (default ${DEFAULT_ACTION_TIMEOUT})`,
      )
      .option('--no-wait', 'publish the request and return without waiting for the outcome'),
  );
}

/**
 * `cutover promote|pause|resume [service]`: publishes `operator.<action>` to the deployment-events
 * topic, where advanceRelease applies it, and waits for the record to show the outcome.
 */
export function registerOperator(program: Command): void {
  for (const action of OPERATOR_ACTIONS) {
    addActionOptions(
      program
        .command(action)
        .description(DESCRIPTIONS[action])
        .argument(
          '[service]',
          'full service name or bare id (default: the only configured service)',
        ),
    ).action(async (service: string | undefined, options: ActOptions) => {
      process.exitCode = await act(action, service, options);
    });
  }
}
