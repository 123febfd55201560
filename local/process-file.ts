import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** `<stateDir>/processes.json`: the stack's pid and its running revision processes. */
export const ProcessList = z.object({
  pid: z.number().int(),
  revisions: z.array(z.object({ revision: z.string(), pid: z.number().int() })),
});
export type ProcessList = z.infer<typeof ProcessList>;

/** Reads a process file; null when there is none (or it is being replaced). */
export function readProcessFile(path: string): ProcessList | null {
  try {
    return ProcessList.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Keeps the process file current (checked every `periodMs`, written only on change) so tools and
 * tests can see which child processes a stack owns — and check none is left after it stopped.
 * Removed on stop.
 */
export class ProcessFile {
  private timer: NodeJS.Timeout | null = null;
  private last = '';

  constructor(
    private readonly path: string,
    private readonly list: () => Array<{ revision: string; pid: number }>,
    private readonly periodMs = 250,
  ) {}

  start(): void {
    this.write();
    this.timer = setInterval(() => this.write(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    rmSync(this.path, { force: true });
  }

  private write(): void {
    const text = `${JSON.stringify({ pid: process.pid, revisions: this.list() }, null, 2)}\n`;
    if (text === this.last) return;
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, this.path);
    this.last = text;
  }
}
