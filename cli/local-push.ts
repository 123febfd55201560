import type { Command } from 'commander';
import { NoLocalStackError, readEndpoints } from '../local/endpoints.js';
import { DEFAULT_STATE_DIR } from '../local/stack-options.js';

export interface LocalPushOptions {
  stateDir?: string;
  set?: string[];
}

/** `KEY=VALUE` pairs as an env object; throws naming a malformed one. */
export function parseKnobs(pairs: string[]): Record<string, string> {
  const knobs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects KEY=VALUE, got "${pair}"`);
    knobs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return knobs;
}

/**
 * `cutover local-push TAG [--set KEY=VALUE]…`: the local `docker push` — pushes TAG of the sample
 * model into the running local stack's registry, with knobs (EXTRA_LATENCY_MS, ERROR_RATE,
 * PREDICTION_SHIFT…) that make this version behave differently. Prints `{image, digest}`.
 */
export async function runLocalPush(tag: string, options: LocalPushOptions): Promise<number> {
  try {
    const endpoints = readEndpoints(options.stateDir ?? DEFAULT_STATE_DIR);
    const response = await fetch(`${endpoints.registry}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag, knobs: parseKnobs(options.set ?? []) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the stack refused the push (${response.status}): ${text}`);
    process.stdout.write(`${text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof NoLocalStackError || error instanceof Error) {
      process.stderr.write(`cutover: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export function registerLocalPush(program: Command): void {
  program
    .command('local-push')
    .description(
      'push a tag of the sample model into the running local stack (the local docker push)',
    )
    .argument('<tag>', 'the tag, e.g. 2.0.0')
    .option('--set <KEY=VALUE...>', 'model knobs for this version, e.g. EXTRA_LATENCY_MS=80')
    .option('--state-dir <dir>', `the local stack's state dir (default ${DEFAULT_STATE_DIR})`)
    .action(async (tag: string, options: LocalPushOptions) => {
      process.exitCode = await runLocalPush(tag, options);
    });
}
