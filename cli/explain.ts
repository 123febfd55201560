import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfigFile } from '../shared/config/load.js';
import { ConfigError, InvalidPayloadError } from '../shared/errors.js';
import { explainPayload } from './explain/explain-payload.js';
import type { Explanation } from './explain/explanation.js';

/**
 * The sample config, used when `--config` is not given: examples/ beside cli/ in a clone, or the
 * package's own examples/ from the compiled dist/cli.
 */
export const SAMPLE_CONFIG = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts')
      ? '../examples/cutover.config.json'
      : '../../examples/cutover.config.json',
    import.meta.url,
  ),
);

export interface ExplainOptions {
  config?: string;
  json?: boolean;
}

/** Where the command writes; tests pass their own. */
export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readFile: (path: string) => string;
}

const processIo: Io = {
  stdout: (l) => process.stdout.write(l + '\n'),
  stderr: (l) => process.stderr.write(l + '\n'),
  readFile: (p) => readFileSync(p === '-' ? 0 : p, 'utf8'),
};

/**
 * `cutover explain FILE`: prints what cutover would do with the payload in FILE (`-` for stdin),
 * changing nothing. Returns the exit code: 0 when explained (ignored included), 2 when the payload
 * or the config is invalid or unreadable (the message names the field path).
 */
export function runExplain(file: string, options: ExplainOptions, io: Io = processIo): number {
  try {
    const config = loadConfigFile(options.config ?? SAMPLE_CONFIG);
    const explanation: Explanation = explainPayload(readJson(file, io), config);
    io.stdout(options.json ? JSON.stringify(explanation) : explanation.detail);
    return 0;
  } catch (e) {
    if (!(e instanceof InvalidPayloadError || e instanceof ConfigError)) throw e;
    io.stderr(e.message);
    return 2;
  }
}

function readJson(file: string, io: Io): unknown {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (cause) {
    throw new InvalidPayloadError('input', [`cannot read ${file}: ${(cause as Error).message}`], {
      cause,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InvalidPayloadError('JSON', [`${file}: ${(cause as Error).message}`], { cause });
  }
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('print what cutover would do with an inbound payload, changing nothing')
    .argument(
      '<file>',
      'JSON payload: AR notification, Pub/Sub envelope or CloudEvent, incident, rollback request, deployment event (- for stdin)',
    )
    .option('--config <file>', 'cutover config (default: the sample in examples/)')
    .option('--json', 'print { kind, action, detail } as JSON')
    .action((file: string, options: ExplainOptions) => {
      process.exitCode = runExplain(file, options);
    });
}
