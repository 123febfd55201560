export type LogFields = Record<string, unknown>;

/** Structured logger; the default writes one JSON line per entry in Cloud Logging's format. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every entry. */
  with(fields: LogFields): Logger;
}
