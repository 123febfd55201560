import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'ini';
import { z } from 'zod';

/** What gcloud is configured with, as `gcloud config get-value` would say. */
export interface GcloudDefaults {
  project: string | null;
  region: string | null;
  account: string | null;
}

const Properties = z
  .object({
    core: z.object({ project: z.string(), account: z.string() }).partial().optional(),
    run: z.object({ region: z.string() }).partial().optional(),
  })
  .loose();

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * gcloud's configured defaults without running gcloud: the `CLOUDSDK_CORE_PROJECT`,
 * `CLOUDSDK_RUN_REGION` and `CLOUDSDK_CORE_ACCOUNT` overrides first, then the active
 * configuration's properties file (`$CLOUDSDK_CONFIG` or `~/.config/gcloud`,
 * `configurations/config_<active>`, an INI file with `[core] project/account` and `[run] region`).
 * Anything missing or unreadable is null: the defaults are a convenience, never an error.
 */
export function gcloudDefaults(env: NodeJS.ProcessEnv = process.env): GcloudDefaults {
  const dir = env.CLOUDSDK_CONFIG ?? join(homedir(), '.config', 'gcloud');
  const active =
    env.CLOUDSDK_ACTIVE_CONFIG_NAME ?? readText(join(dir, 'active_config'))?.trim() ?? 'default';
  const text = readText(join(dir, 'configurations', `config_${active}`));
  const parsed = text === null ? null : Properties.safeParse(parse(text));
  const props = parsed?.success ? parsed.data : {};
  return {
    project: env.CLOUDSDK_CORE_PROJECT ?? props.core?.project ?? null,
    region: env.CLOUDSDK_RUN_REGION ?? props.run?.region ?? null,
    account: env.CLOUDSDK_CORE_ACCOUNT ?? props.core?.account ?? null,
  };
}
