import type { Command } from 'commander';
import { loadConfigFile, loadConfigFromEnv } from '../shared/config/load.js';
import { ConfigError } from '../shared/errors.js';
import type { Config } from '../shared/schemas/config.js';
import { processIo, wantsJson, type Io, type OutputOptions } from './output.js';

export interface ValidateOptions extends OutputOptions {
  config?: string;
}

/**
 * `cutover validate [--config F]`: loads the config exactly as the functions do (the file, else
 * CUTOVER_CONFIG / CUTOVER_CONFIG_FILE) and names every problem. Exit 0 valid, 1 invalid.
 */
export function runValidate(options: ValidateOptions, io: Io = processIo): number {
  const json = wantsJson(options);
  const source = options.config ?? 'CUTOVER_CONFIG / CUTOVER_CONFIG_FILE';
  let config: Config;
  try {
    config = options.config ? loadConfigFile(options.config) : loadConfigFromEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.issues;
    if (json) io.out(`${JSON.stringify({ valid: false, source, problems })}\n`);
    else
      io.err(`cutover: ${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  const services = config.services.map((s) => s.service);
  if (json) io.out(`${JSON.stringify({ valid: true, source, services })}\n`);
  else io.out(`${source} is valid: ${services.length} service(s): ${services.join(', ')}\n`);
  return 0;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a cutover config as the functions would load it, naming every problem')
    .option('--config <file>', 'the config file (default: CUTOVER_CONFIG or CUTOVER_CONFIG_FILE)')
    .option('--json', 'print the result as JSON')
    .option('--format <format>', 'json or text, as gcloud spells it')
    .action((options: ValidateOptions) => {
      process.exitCode = runValidate(options);
    });
}
