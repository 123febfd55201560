import type { Module } from './hcl.js';

/**
 * A small reader of Terraform expressions as hcl2json leaves them: strings whose `${...}` parts are
 * expressions. Enough to find references; not an evaluator. (hcl2json's own
 * getReferencesInExpression misses references inside for-expression bodies.)
 */

/** The code of every `${...}` / `%{...}` in a template, string literals blanked, nested ones included. */
export function codeIn(template: string): string[] {
  return readTemplate(template, 0, false).code;
}

function readTemplate(s: string, start: number, quoted: boolean): { code: string[]; end: number } {
  const code: string[] = [];
  let i = start;
  while (i < s.length) {
    if (quoted && s[i] === '\\') {
      i += 2;
      continue;
    }
    if (quoted && s[i] === '"') return { code, end: i + 1 };
    if (s.startsWith('$${', i) || s.startsWith('%%{', i)) {
      i += 3;
      continue;
    }
    if (s.startsWith('${', i) || s.startsWith('%{', i)) {
      const inner = readCode(s, i + 2);
      code.push(...inner.code);
      i = inner.end;
      continue;
    }
    i += 1;
  }
  if (quoted) throw new Error(`unterminated string in ${s}`);
  return { code, end: i };
}

function readCode(s: string, start: number): { code: string[]; end: number } {
  const nested: string[] = [];
  let text = '';
  let depth = 0;
  let i = start;
  while (i < s.length) {
    const ch = s[i] ?? '';
    if (ch === '"') {
      const str = readTemplate(s, i + 1, true);
      nested.push(...str.code);
      text += '""';
      i = str.end;
      continue;
    }
    if (ch === '}' && depth === 0) return { code: [text, ...nested], end: i + 1 };
    if (ch === '{') depth += 1;
    if (ch === '}') depth -= 1;
    text += ch;
    i += 1;
  }
  throw new Error(`unterminated interpolation in ${s}`);
}

/** A dotted reference such as `var.x`, `local.y`, `google_pubsub_topic.t.id`, `data.T.N.attr`. */
export interface Reference {
  root: string;
  parts: string[];
  text: string;
}

const REF = /(?<![\w.\])"-])([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)+)/g;
const FOR_VARS = /\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b/g;

/** References in a template, leaving out the iteration variables of its for-expressions. */
export function referencesIn(template: string): Reference[] {
  const code = codeIn(template);
  const iterators = new Set<string>();
  for (const c of code) {
    for (const m of c.matchAll(FOR_VARS)) {
      if (m[1]) iterators.add(m[1]);
      if (m[2]) iterators.add(m[2]);
    }
  }
  const refs: Reference[] = [];
  for (const c of code) {
    for (const m of c.matchAll(REF)) {
      const root = m[1] ?? '';
      if (iterators.has(root)) continue;
      refs.push({ root, parts: (m[2] ?? '').slice(1).split('.'), text: m[0] });
    }
  }
  return refs;
}

/** Every string in a JSON value with the path to it; `skip` leaves out keys (e.g. ignore_changes). */
export function* stringsIn(value: unknown, path: string[] = [], skip: ReadonlySet<string> = new Set()): Generator<[string[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* stringsIn(v, [...path, String(i)], skip);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (!skip.has(k)) yield* stringsIn(v, [...path, k], skip);
  }
}

/** Labels of `dynamic "NAME"` blocks: inside their content, NAME.key / NAME.value are iterators. */
export function dynamicLabels(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => dynamicLabels(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'dynamic' && typeof v === 'object' && v !== null) Object.keys(v).forEach((l) => out.add(l));
      dynamicLabels(v, out);
    }
  }
  return out;
}

const BUILTIN: Record<string, readonly string[]> = {
  each: ['key', 'value'],
  count: ['index'],
  path: ['module', 'root', 'cwd'],
  terraform: ['workspace'],
  self: [],
};

/** Why the reference does not resolve in the module, or null when it does. */
export function unresolved(ref: Reference, mod: Module, iterators: ReadonlySet<string>): string | null {
  const [a = '', b = ''] = ref.parts;
  switch (ref.root) {
    case 'var':
      return a in mod.variables ? null : `variable "${a}" is not declared`;
    case 'local':
      return a in mod.locals ? null : `local "${a}" is not declared`;
    case 'module':
      return a in mod.modules ? null : `module "${a}" is not declared`;
    case 'data':
      return mod.data[a]?.[b] ? null : `data "${a}" "${b}" is not declared`;
  }
  const builtin = BUILTIN[ref.root];
  if (builtin) return builtin.length === 0 || builtin.includes(a) ? null : `${ref.text} is not a valid ${ref.root} attribute`;
  if (iterators.has(ref.root)) return a === 'key' || a === 'value' ? null : `${ref.text}: a dynamic iterator has only key and value`;
  return mod.resources[ref.root]?.[a] ? null : `resource "${ref.root}" "${a}" is not declared`;
}

/** Every reference in the module that does not resolve, as "file: path: reason". */
export function unresolvedReferences(mod: Module): string[] {
  const problems: string[] = [];
  for (const file of mod.files) {
    const iterators = dynamicLabels(file.json);
    for (const [path, text] of stringsIn(file.json, [], new Set(['ignore_changes']))) {
      if (path.at(-1) === 'type' && path[0] === 'variable') continue;
      for (const ref of referencesIn(text)) {
        const why = unresolved(ref, mod, iterators);
        if (why) problems.push(`${file.path}: ${path.join('.')}: ${why}`);
      }
    }
  }
  return problems;
}
