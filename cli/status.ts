import type { Command } from 'commander';
import { createLogUpdate } from 'log-update';
import { serviceConfig } from '../shared/schemas/config.js';
import { apiBaseOf } from '../shared/domain/version-tag.js';
import { processEnv, type CliEnv } from './act.js';
import { wantsJson } from './output.js';
import { parseDuration } from './pacer.js';
import { reportFailure } from './report.js';
import { renderStatus } from './status-view.js';
import { addTargetOptions, type TargetOptions } from './target.js';

export interface StatusOptions extends TargetOptions {
  watch?: boolean;
  interval?: string;
}

/** Redraws a block of lines in place (log-update on a terminal); `done` leaves the last one. */
export interface Screen {
  draw(lines: string[]): void;
  done(): void;
}

function terminalScreen(): Screen {
  const update = createLogUpdate(process.stdout, { showCursor: true });
  return { draw: (lines) => update(lines.join('\n')), done: () => update.done() };
}

/**
 * `cutover status [service]`: reads the service through the platform adapter and prints the
 * traffic split, the release's phase and step, the last verdict, who did what, and the history
 * (`--json`/`--format json`: the service view as read, record included). `--watch` reads again
 * every `--interval` and redraws in place until interrupted (or `signal` aborts).
 */
export async function runStatus(
  ref: string | undefined,
  options: StatusOptions,
  env: CliEnv = processEnv(),
  watch: { screen?: Screen; signal?: AbortSignal } = {},
): Promise<number> {
  const json = wantsJson(options);
  return reportFailure(
    async () => {
      const target = await env.open(ref, options);
      const configured = target.config ? serviceConfig(target.config, target.service) : undefined;
      const steps = configured?.steps ?? null;
      const read = async () => {
        const { etag: _etag, ...shown } = await target.adapters.platform().get(target.service);
        return shown;
      };
      const render = (view: Awaited<ReturnType<typeof read>>) =>
        renderStatus(
          { ...view, etag: '' },
          steps,
          configured ? apiBaseOf(configured.endpoint, view.uri) : null,
        );
      if (!options.watch) {
        const view = await read();
        env.io.out(json ? `${JSON.stringify(view)}\n` : `${render(view).join('\n')}\n`);
        return 0;
      }
      const intervalMs = parseDuration(options.interval ?? '2s');
      const screen = watch.screen ?? terminalScreen();
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      watch.signal?.addEventListener('abort', stop);
      try {
        while (!controller.signal.aborted) {
          const view = await read();
          if (json) env.io.out(`${JSON.stringify(view)}\n`);
          else
            screen.draw([
              ...render(view),
              `(every ${intervalMs / 1000} s, ${env.pacer.now().toISOString()}; Ctrl-C to stop)`,
            ]);
          await env.pacer.sleep(intervalMs, controller.signal);
        }
      } finally {
        process.off('SIGINT', stop);
        if (!json) screen.done();
      }
      return 0;
    },
    { json, io: env.io },
  );
}

export function registerStatus(program: Command): void {
  addTargetOptions(
    program
      .command('status')
      .description('show the traffic split, release phase, step, last verdict, actors and history')
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .option('-w, --watch', 'keep reading and redraw in place (Ctrl-C to stop)')
      .option('--interval <duration>', 'how often --watch reads the service', '2s'),
  ).action(async (service: string | undefined, options: StatusOptions) => {
    process.exitCode = await runStatus(service, options);
  });
}
