import type { Command } from 'commander';
import { isTerminal, type Release, type ServiceRecord } from '../shared/schemas/release.js';
import { processEnv, type CliEnv } from './act.js';
import { wantsJson } from './output.js';
import { parseDuration } from './pacer.js';
import { reportFailure } from './report.js';
import { addTargetOptions, type TargetOptions } from './target.js';

export interface WaitOptions extends TargetOptions {
  timeout?: string;
  tag?: string;
  interval?: string;
}

/** Exit codes a CI job gates on. */
export const WAIT_EXIT = { promoted: 0, failed: 1, timeout: 2, error: 3 } as const;

/** The release `wait` follows: the one of `tag`, else the record's current one. */
function followed(record: ServiceRecord | null, tag: string | undefined): Release | null {
  const r = record?.release ?? null;
  if (!r) return null;
  return tag === undefined || r.tag === tag ? r : null;
}

function line(r: Release): string {
  const step = r.phase === 'shifting' ? ` at ${r.step.percent}%${r.paused ? ' (paused)' : ''}` : '';
  const why = r.phase === 'rolled-back' ? ` (${r.trigger}: ${r.reason})` : '';
  return `${r.id} ${r.tag}: ${r.phase}${step}${why}`;
}

/**
 * `cutover wait [service]`: follows the release until it ends. Exit 0 promoted; 1 rolled back,
 * superseded or aborted; 2 when `--timeout` passes first; 3 when the service cannot be read.
 * `--tag T` waits for the release of tag T (it may not have started when CI calls `wait`).
 */
export async function runWait(
  ref: string | undefined,
  options: WaitOptions,
  env: CliEnv = processEnv(),
): Promise<number> {
  const json = wantsJson(options);
  return reportFailure(
    async () => {
      const timeoutMs = parseDuration(options.timeout ?? '30m');
      const intervalMs = parseDuration(options.interval ?? '5s');
      const target = await env.open(ref, options);
      const platform = target.adapters.platform();
      const start = env.pacer.now().getTime();
      let said = '';
      for (;;) {
        const release = followed((await platform.get(target.service)).record, options.tag);
        const elapsed = env.pacer.now().getTime() - start;
        if (release && !json && line(release) !== said) {
          said = line(release);
          env.io.out(`${said}\n`);
        }
        if (release && isTerminal(release.phase)) {
          const code = release.phase === 'promoted' ? WAIT_EXIT.promoted : WAIT_EXIT.failed;
          if (json)
            env.io.out(
              `${JSON.stringify({ service: target.service, outcome: release.phase, exitCode: code, release })}\n`,
            );
          return code;
        }
        if (elapsed >= timeoutMs) {
          const what = release
            ? line(release)
            : options.tag
              ? `no release of ${options.tag} yet`
              : 'no release yet';
          const message = `timed out after ${Math.round(elapsed / 1000)} s: ${what}`;
          if (json)
            env.io.out(
              `${JSON.stringify({ service: target.service, outcome: 'timeout', exitCode: WAIT_EXIT.timeout, message })}\n`,
            );
          else env.io.err(`cutover: ${message}\n`);
          return WAIT_EXIT.timeout;
        }
        await env.pacer.sleep(Math.min(intervalMs, timeoutMs - elapsed));
      }
    },
    { json, io: env.io, code: WAIT_EXIT.error },
  );
}

export function registerWait(program: Command): void {
  addTargetOptions(
    program
      .command('wait')
      .description(
        'wait for the release to end: exit 0 promoted, 1 rolled back, 2 timeout (for CI)',
      )
      .argument('[service]', 'full service name or bare id (default: the only configured service)')
      .option('--timeout <duration>', 'give up after this long (exit 2)', '30m')
      .option(
        '--tag <tag>',
        'wait for the release of this pushed tag (it may not have started yet)',
      )
      .option('--interval <duration>', 'how often to read the service', '5s'),
  ).action(async (service: string | undefined, options: WaitOptions) => {
    process.exitCode = await runWait(service, options);
  });
}
