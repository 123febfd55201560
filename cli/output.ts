import { z } from 'zod';

/** `--json` or gcloud's `--format json`: the output a script reads. */
export interface OutputOptions {
  json?: boolean;
  format?: string;
}

export const Format = z.enum(['text', 'json'], {
  error: 'must be "json" or "text" (gcloud style: --format json)',
});

export function wantsJson(options: OutputOptions): boolean {
  if (options.json) return true;
  return options.format === undefined ? false : Format.parse(options.format) === 'json';
}

/** Where a command writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
