import type { Module } from './hcl.js';

/**
 * Resolves the few expression forms the config test needs, the way Terraform would: `${var.X}`
 * (from given values, else the variable's default) and `${TYPE.NAME.ATTR}` of a literal attribute of
 * a declared resource. Anything else throws, so the test never guesses.
 */
export function resolve(value: unknown, mod: Module, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return resolveString(value, mod, vars);
  if (Array.isArray(value)) return value.map((v) => resolve(v, mod, vars));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, mod, vars)]));
  }
  return value;
}

const WHOLE = /^\$\{([^${}]+)\}$/;
const PART = /\$\{([^${}]+)\}/g;

function resolveString(text: string, mod: Module, vars: Record<string, unknown>): unknown {
  const whole = WHOLE.exec(text);
  if (whole?.[1]) return lookup(whole[1].trim(), mod, vars);
  const out = text.replace(PART, (_, expr: string) => {
    const v = lookup(expr.trim(), mod, vars);
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`\${${expr}} is not a string in "${text}"`);
    return String(v);
  });
  if (out.includes('${')) throw new Error(`cannot resolve "${text}"`);
  return out;
}

function lookup(expr: string, mod: Module, vars: Record<string, unknown>): unknown {
  const [root = '', a = '', b = '', ...rest] = expr.split('.');
  if (root === 'var' && !b) {
    if (a in vars) return vars[a];
    const decl = mod.variables[a];
    if (!decl) throw new Error(`variable ${a} is not declared`);
    if (!('default' in decl)) throw new Error(`variable ${a} has no default and no value was given`);
    return decl.default;
  }
  const body = mod.resources[root]?.[a];
  if (body && b && rest.length === 0 && b in body) return resolve(body[b], mod, vars);
  throw new Error(`cannot resolve \${${expr}}`);
}
