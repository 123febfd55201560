import type { Command } from 'commander';
import { startReleasePage } from '../ui/server.js';
import { processEnv } from './act.js';
import { reportFailure } from './report.js';
import { addTargetOptions, type TargetOptions } from './target.js';

export interface UiOptions extends TargetOptions {
  port?: string;
}

/**
 * `cutover ui [service]`: serves the release page on loopback with this machine's credentials
 * (ADC, or the emulator with --local): the record, Cloud Monitoring rates, and page actions that
 * go through the same requests as the CLI. (Inside `cutover local` the page also shows every
 * release event; standalone it shows what the record keeps.)
 */
export async function runUi(ref: string | undefined, options: UiOptions): Promise<number> {
  const env = processEnv();
  return reportFailure(async () => {
    const target = await env.open(ref, options);
    const services = target.config
      ? target.config.services.map((s) => s.service)
      : [target.service];
    const page = await startReleasePage({
      services,
      source: {
        platform: target.adapters.platform(),
        metrics: target.adapters.metrics(),
        events: async () => null,
      },
      target: (service) => ({ ...target, service }),
      port: Number(options.port ?? 0),
    });
    env.io.out(`${JSON.stringify({ ui: page.url, services })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await page.close();
    return 0;
  });
}

export function registerUi(program: Command): void {
  addTargetOptions(
    program
      .command('ui')
      .description('serve the release page (phase timeline, traffic, a chart per check, actions)')
      .argument('[service]', 'full service name or bare id (default: every configured service)')
      .option('--port <port>', 'port to listen on (default: any free port)'),
  ).action(async (service: string | undefined, options: UiOptions) => {
    process.exitCode = await runUi(service, options);
  });
}
