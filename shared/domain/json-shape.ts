/**
 * JSON shape comparison for smoke tests: two bodies have the same shape when they have the same keys
 * recursively and the same JSON type at every path; values may differ.
 *
 * Arrays are compared by element shape, not element by element: the elements of an array are
 * merged into one shape per JSON type (objects by the union of their keys, nested arrays by their
 * merged elements), so lengths may differ and an empty array matches any array. `null` is its own
 * type: a field that is a number in blue and null in green differs.
 */

type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'not JSON';

/** The shapes a position can hold, by JSON type (one type outside arrays; several inside). */
type Shapes = Map<JsonType, Shape>;
type Shape =
  | { type: Exclude<JsonType, 'array' | 'object'> }
  | { type: 'array'; elements: Shapes }
  | { type: 'object'; fields: Map<string, Shapes> };

const MAX_REPORTED = 5;

/**
 * Null when `green` has `blue`'s shape, else the differences with their paths, e.g.
 * `$.score: blue has number, green has string; $.label is missing in green`.
 */
export function shapeDifference(blue: unknown, green: unknown): string | null {
  const differences: string[] = [];
  compare(shapesOf([blue]), shapesOf([green]), '$', differences);
  if (differences.length === 0) return null;
  const more = differences.length - MAX_REPORTED;
  return differences.slice(0, MAX_REPORTED).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function compare(blue: Shapes, green: Shapes, path: string, out: string[]): void {
  const blueTypes = typesOf(blue);
  const greenTypes = typesOf(green);
  if (blueTypes !== greenTypes) {
    out.push(`${path}: blue has ${blueTypes}, green has ${greenTypes}`);
    return;
  }
  for (const [type, b] of blue) {
    const g = green.get(type);
    if (b.type === 'object' && g?.type === 'object') {
      for (const [key, shapes] of b.fields) {
        const other = g.fields.get(key);
        if (other) compare(shapes, other, child(path, key), out);
        else out.push(`${child(path, key)} is missing in green`);
      }
      for (const key of g.fields.keys()) {
        if (!b.fields.has(key)) out.push(`${child(path, key)} is new in green (not in blue)`);
      }
    } else if (b.type === 'array' && g?.type === 'array') {
      if (b.elements.size > 0 && g.elements.size > 0)
        compare(b.elements, g.elements, `${path}[]`, out);
    }
  }
}

/** The merged shapes of `values` (the elements of one array, or a single value). */
function shapesOf(values: unknown[]): Shapes {
  const shapes: Shapes = new Map();
  for (const value of values) {
    const shape = shapeOf(value);
    const seen = shapes.get(shape.type);
    shapes.set(shape.type, seen ? merge(seen, shape) : shape);
  }
  return shapes;
}

function shapeOf(value: unknown): Shape {
  const type = jsonType(value);
  if (type === 'array') return { type, elements: shapesOf(value as unknown[]) };
  if (type === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return { type, fields: new Map(entries.map(([k, v]) => [k, shapesOf([v])])) };
  }
  return { type };
}

/** Merges two shapes of the same type: union of fields, union of element shapes. */
function merge(a: Shape, b: Shape): Shape {
  if (a.type === 'object' && b.type === 'object') {
    const fields = new Map(a.fields);
    for (const [key, shapes] of b.fields) {
      const seen = fields.get(key);
      fields.set(key, seen ? mergeAll(seen, shapes) : shapes);
    }
    return { type: 'object', fields };
  }
  if (a.type === 'array' && b.type === 'array') {
    return { type: 'array', elements: mergeAll(a.elements, b.elements) };
  }
  return a;
}

function mergeAll(a: Shapes, b: Shapes): Shapes {
  const merged: Shapes = new Map(a);
  for (const [type, shape] of b) {
    const seen = merged.get(type);
    merged.set(type, seen ? merge(seen, shape) : shape);
  }
  return merged;
}

function typesOf(shapes: Shapes): string {
  return [...shapes.keys()].sort().join(' | ');
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
