import type { Command } from 'commander';
import { DEFAULT_DEMO_STATE_DIR, runDemo } from '../local/demo/run-demo.js';
import { SCENARIO_NAMES, isScenarioName } from '../local/demo/scenarios.js';

export interface DemoCliOptions {
  scenario: string;
  metrics?: string;
  json?: boolean;
  stateDir?: string;
}

/**
 * `cutover demo [--scenario S] [--json] [--state-dir DIR]` (also `npm start`): a whole release on
 * this machine, shown live. Resolves with the exit code: 0 when the scenario ended as it should
 * (promoted for healthy, rolled back by the right trigger otherwise), 1 when not, 2 for an
 * unknown scenario. Ctrl-C stops the stack and exits 1.
 */
export async function runDemoCommand(options: DemoCliOptions): Promise<number> {
  if (!isScenarioName(options.scenario)) {
    process.stderr.write(
      `cutover demo: unknown scenario "${options.scenario}"; pick one of ${SCENARIO_NAMES.join(', ')}\n`,
    );
    return 2;
  }
  const metrics = options.metrics ?? 'cloud-monitoring';
  if (metrics !== 'cloud-monitoring' && metrics !== 'prometheus') {
    process.stderr.write(
      `cutover demo: unknown metrics source "${metrics}"; pick cloud-monitoring or prometheus\n`,
    );
    return 2;
  }
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const result = await runDemo({
      scenario: options.scenario,
      metrics,
      json: options.json === true,
      stateDir: options.stateDir ?? DEFAULT_DEMO_STATE_DIR,
      signal: abort.signal,
    });
    return result.ok ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the local stack, push v2 and show the release live (npm start)')
    .option('--scenario <name>', `one of ${SCENARIO_NAMES.join(', ')}`, 'healthy')
    .option(
      '--metrics <source>',
      'where the step analysis reads metrics: cloud-monitoring, or prometheus (PromQL through the emulator’s Managed Service for Prometheus endpoint)',
      'cloud-monitoring',
    )
    .option('--json', 'print the event log as JSON lines instead of the live view')
    .option(
      '--state-dir <dir>',
      `where the demo stack keeps its state (default ${DEFAULT_DEMO_STATE_DIR})`,
    )
    .action(async (options: DemoCliOptions) => {
      const code = await runDemoCommand(options);
      // gRPC channels and keep-alive sockets may linger; the stack is stopped, so leave now.
      process.exit(code);
    });
}
