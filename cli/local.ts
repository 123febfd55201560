import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { jsonLogger } from '../shared/adapters/json-logger.js';
import type { ConfigInput } from '../shared/schemas/config.js';
import { startStack, type Stack } from '../local/stack.js';
import { DEFAULT_STATE_DIR } from '../local/stack-options.js';
import { StdoutGate } from './stdout-gate.js';

export interface LocalOptions {
  stateDir?: string;
  fresh?: boolean;
  config?: string;
  alerts?: boolean;
  load?: boolean;
}

/**
 * `cutover local`: starts the whole local stack and keeps it up. The first stdout line is the
 * endpoints JSON (also in `<stateDir>/endpoints.json`); structured JSON log lines follow.
 * SIGINT or SIGTERM stops everything — revision processes included — and exits 0. Resolves with
 * the exit code once the stack has stopped.
 */
export async function runLocal(options: LocalOptions): Promise<number> {
  const logger = jsonLogger({ component: 'cutover-local' });
  const gate = new StdoutGate();
  let stack: Stack;
  try {
    const config = options.config
      ? (JSON.parse(readFileSync(options.config, 'utf8')) as ConfigInput)
      : undefined;
    stack = await startStack({
      ...(config ? { config } : {}),
      stateDir: options.stateDir ?? DEFAULT_STATE_DIR,
      fresh: options.fresh ?? false,
      logger,
      ...(options.alerts === false ? { alerts: false as const } : {}),
      ...(options.load === false ? { load: false as const } : {}),
    });
  } catch (error) {
    gate.release();
    process.stderr.write(`cutover local: could not start: ${(error as Error).message}\n`);
    return 1;
  }
  gate.open(JSON.stringify(stack.endpoints));
  logger.info('local stack ready', { stateDir: stack.endpoints.stateDir });

  return new Promise<number>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info(`${signal}: stopping the local stack`);
      process.removeListener('SIGINT', shutdown);
      process.removeListener('SIGTERM', shutdown);
      stack.stop().then(
        () => {
          logger.info('local stack stopped');
          resolve(0);
        },
        (error: unknown) => {
          logger.error('local stack did not stop cleanly', { error });
          resolve(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description(
      'run the whole stack on this machine: emulator, platform, functions, scheduler, alerts',
    )
    .option('--state-dir <dir>', `where the state lives (default ${DEFAULT_STATE_DIR})`)
    .option('--fresh', 'start from an empty state (a new service, a new history)')
    .option('--config <file>', 'cutover config JSON (default: the sample service, short timings)')
    .option('--no-alerts', 'do not run the alert evaluator')
    .option('--no-load', 'do not send steady traffic to the services')
    .action(async (options: LocalOptions) => {
      const code = await runLocal(options);
      // gRPC channels and keep-alive sockets may linger; the stack is stopped, so leave now.
      process.exit(code);
    });
}
