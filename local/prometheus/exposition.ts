/**
 * Prometheus' text exposition format (version 0.0.4, what prom-client's `registry.metrics()`
 * writes), read into samples. Only what a collector needs: `# TYPE` lines, and sample lines
 * `name{label="value",…} value [timestamp]` with the format's escapes (\\, \", \n) in label values.
 */
export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Metric family → its declared type (counter, gauge, histogram, summary, untyped). */
  types: Record<string, string>;
  samples: ExposedSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** Thrown for a line that is not a comment, a TYPE line or a sample: names the line. */
export class ExpositionError extends Error {
  constructor(readonly line: string) {
    super(`not a Prometheus exposition line: ${line.slice(0, 200)}`);
    this.name = 'ExpositionError';
  }
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) {
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    consumed = LABEL.lastIndex;
  }
  if (text.slice(consumed).trim() !== '') throw new ExpositionError(line);
  return labels;
}

export function parseExposition(text: string): Exposition {
  const types: Record<string, string> = {};
  const samples: ExposedSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type) types[type[1]!] = type[2]!;
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new ExpositionError(line);
    const value = parseValue(m[3]!);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new ExpositionError(line);
    samples.push({ name: m[1]!, labels: m[2] ? parseLabels(m[2], line) : {}, value });
  }
  return { types, samples };
}
