import { appendFileSync } from 'node:fs';

/** A diversion of process.stdout; `write` still reaches the real stdout. */
export interface StdoutDiversion {
  /** Writes to the real stdout, past the diversion. */
  write(text: string): void;
  restore(): void;
}

/**
 * Sends everything else written to process.stdout — the in-process functions' JSON log lines —
 * to `file`, so the demo's view owns the terminal. `restore()` puts stdout back.
 */
export function divertStdout(file: string): StdoutDiversion {
  const saved = process.stdout.write;
  const original = saved.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    try {
      appendFileSync(file, chunk);
    } catch {
      // A log line that cannot be kept is dropped; the view matters more.
    }
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stdout.write;
  return {
    write: (text) => void original(text),
    restore: () => {
      process.stdout.write = saved;
    },
  };
}
