/**
 * Holds everything written to stdout until `open(first)` writes `first` and then the held
 * output, so a line promised to be the first one (the endpoints of `cutover local`) is first even
 * when in-process functions log while the stack starts.
 */
export class StdoutGate {
  private held: Array<[string | Uint8Array, BufferEncoding | undefined]> = [];
  private readonly original = process.stdout.write.bind(process.stdout);
  private isOpen = false;

  constructor() {
    process.stdout.write = ((
      chunk: string | Uint8Array,
      encoding?: unknown,
      callback?: unknown,
    ) => {
      if (this.isOpen)
        return this.original(chunk, encoding as BufferEncoding, callback as () => void);
      this.held.push([
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined,
      ]);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  }

  /** Writes `first` as a line, then the held output, and lets later writes through. */
  open(first: string): void {
    if (this.isOpen) return;
    this.isOpen = true;
    process.stdout.write = this.original;
    this.original(`${first}\n`);
    for (const [chunk, encoding] of this.held) this.original(chunk, encoding);
    this.held = [];
  }

  /** Lets the held output through without a first line (the start failed). */
  release(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    process.stdout.write = this.original;
    for (const [chunk, encoding] of this.held) this.original(chunk, encoding);
    this.held = [];
  }
}
