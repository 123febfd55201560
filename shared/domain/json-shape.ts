/**
 * JSON shape comparison for smoke tests: two bodies have the same shape when they have the same keys
 * recursively and the same JSON type at every path; values may differ.
 * Arrays are compared by element shape: their lengths may differ, an empty array matches any
 * array, and the distinct element shapes on both sides must be the same (when each side has one
 * element shape, the comparison recurses into it, so the difference names the nested path).
 * `null` is its own type: a field that is a number in blue and null in green differs.
 */

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'not JSON';

const MAX_REPORTED = 5;

/** Null when `green` has `blue`'s shape, else the differences, e.g. `$.score: blue has number, green has string`. */
export function shapeDifference(blue: unknown, green: unknown): string | null {
  const differences: string[] = [];
  compare(blue, green, '$', differences);
  if (differences.length === 0) return null;
  const more = differences.length - MAX_REPORTED;
  return differences.slice(0, MAX_REPORTED).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A canonical string of a value's shape: equal strings mean equal shapes. */
export function shapeOf(value: unknown): string {
  const type = jsonType(value);
  if (type === 'array') {
    return `[${elementShapes(value as unknown[]).join('|')}]`;
  }
  if (type === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${shapeOf(v)}`).join(',')}}`;
  }
  return type;
}

function compare(blue: unknown, green: unknown, path: string, out: string[]): void {
  const blueType = jsonType(blue);
  const greenType = jsonType(green);
  if (blueType !== greenType) {
    out.push(`${path}: blue has ${blueType}, green has ${greenType}`);
    return;
  }
  if (blueType === 'object') {
    const b = blue as Record<string, unknown>;
    const g = green as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(g, key)) compare(b[key], g[key], child(path, key), out);
      else out.push(`${child(path, key)} is missing in green`);
    }
    for (const key of Object.keys(g)) {
      if (!Object.hasOwn(b, key)) out.push(`${child(path, key)} is new in green (not in blue)`);
    }
  } else if (blueType === 'array') {
    compareArrays(blue as unknown[], green as unknown[], path, out);
  }
}

function compareArrays(blue: unknown[], green: unknown[], path: string, out: string[]): void {
  if (blue.length === 0 || green.length === 0) return;
  const blueShapes = elementShapes(blue);
  const greenShapes = elementShapes(green);
  if (blueShapes.length === 1 && greenShapes.length === 1) {
    compare(blue[0], green[0], `${path}[]`, out);
  } else if (blueShapes.join('|') !== greenShapes.join('|')) {
    out.push(
      `${path}[]: element shapes differ (blue ${blueShapes.join(' | ')}, green ${greenShapes.join(' | ')})`,
    );
  }
}

function elementShapes(values: unknown[]): string[] {
  return [...new Set(values.map(shapeOf))].sort();
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return typeof value as JsonType;
    case 'object':
      return 'object';
    default:
      return 'not JSON';
  }
}

function child(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}
