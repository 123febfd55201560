import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { Config } from '../schemas/config.js';
import { describeIssues } from '../schemas/inbound/issues.js';

export { describeIssues };

/** Validates a parsed config object; throws ConfigError naming every wrong field. */
export function parseConfig(input: unknown): Config {
  const parsed = Config.safeParse(input);
  if (!parsed.success)
    throw new ConfigError(describeIssues(parsed.error.issues), { cause: parsed.error });
  return parsed.data;
}

/** Reads a JSON config file. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError([`cannot read config file ${path}: ${(cause as Error).message}`], {
      cause,
    });
  }
  return parseConfig(parseJson(text, `config file ${path}`));
}

/**
 * Loads the config from `CUTOVER_CONFIG` (the JSON itself) or `CUTOVER_CONFIG_FILE` (a path),
 * in that order of preference.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  if (env.CUTOVER_CONFIG) return parseConfig(parseJson(env.CUTOVER_CONFIG, 'CUTOVER_CONFIG'));
  if (env.CUTOVER_CONFIG_FILE) return loadConfigFile(env.CUTOVER_CONFIG_FILE);
  throw new ConfigError([
    'set CUTOVER_CONFIG to the JSON config, or CUTOVER_CONFIG_FILE to a file holding it',
  ]);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConfigError([`${where} is not valid JSON: ${(cause as Error).message}`], { cause });
  }
}
