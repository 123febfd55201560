import type { LogFields, Logger } from '../ports/logger.js';

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/**
 * One JSON line per entry, in the shape Cloud Logging parses from stdout: `severity`, `message`,
 * and `logging.googleapis.com/trace` when a trace is given as the `trace` field.
 */
export function jsonLogger(
  base: LogFields = {},
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Logger {
  const log =
    (severity: Severity) =>
    (message: string, fields: LogFields = {}) => {
      const { trace, error, ...rest } = { ...base, ...fields } as LogFields & {
        trace?: unknown;
        error?: unknown;
      };
      const entry: LogFields = { severity, message, ...rest };
      if (typeof trace === 'string') entry['logging.googleapis.com/trace'] = trace;
      if (error !== undefined)
        entry.error =
          error instanceof Error
            ? { name: error.name, message: error.message, cause: describeCause(error.cause) }
            : error;
      write(JSON.stringify(entry));
    };
  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARNING'),
    error: log('ERROR'),
    with: (fields) => jsonLogger({ ...base, ...fields }, write),
  };
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? cause.message : String(cause);
}

/** A logger that keeps entries in memory, for tests and the demo's event view. */
export function memoryLogger(): Logger & { entries: LogFields[] } {
  const entries: LogFields[] = [];
  const logger = jsonLogger({}, (line) => entries.push(JSON.parse(line) as LogFields));
  return Object.assign(logger, { entries });
}
