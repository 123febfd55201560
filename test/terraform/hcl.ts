import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** The repository's terraform/ folder. */
export const TERRAFORM_DIR = new URL('../../terraform/', import.meta.url).pathname;
export const EXAMPLE_DIR = join(TERRAFORM_DIR, 'examples/basic');

/** hcl2json's rendering of a configuration: blocks by type, labelled blocks by label, bodies in arrays. */
export type HclJson = Record<string, unknown>;

export interface TfFile {
  /** Path relative to terraform/. */
  path: string;
  text: string;
  json: HclJson;
}

/** Every `.tf` file under terraform/ (examples included), parsed. */
export async function loadTfFiles(dir: string = TERRAFORM_DIR): Promise<TfFile[]> {
  const paths = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.tf') && !p.split('/').includes('.terraform'))
    .sort();
  return Promise.all(
    paths.map(async (p) => {
      const text = readFileSync(join(dir, p), 'utf8');
      return { path: relative(TERRAFORM_DIR, join(dir, p)), text, json: await parse(p, text) };
    }),
  );
}

/** The declarations of one module (one folder), merged across its files. */
export interface Module {
  variables: Record<string, Record<string, unknown>>;
  locals: Record<string, unknown>;
  /** resources[type][name] = body */
  resources: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  modules: Record<string, Record<string, unknown>>;
  outputs: Record<string, Record<string, unknown>>;
  /** Each file's JSON, for walks over everything. */
  files: TfFile[];
}

/** Merges the parsed files of the folder `folder` (relative to terraform/, '' for the module itself). */
export function moduleOf(files: TfFile[], folder: string): Module {
  const mine = files.filter((f) => dirOf(f.path) === folder);
  const mod: Module = { variables: {}, locals: {}, resources: {}, data: {}, modules: {}, outputs: {}, files: mine };
  for (const { json } of mine) {
    for (const [name, bodies] of entries(json.variable)) mod.variables[name] = first(bodies);
    for (const block of (json.locals as Record<string, unknown>[] | undefined) ?? []) Object.assign(mod.locals, block);
    for (const [type, byName] of entries(json.resource)) {
      for (const [name, bodies] of entries(byName)) (mod.resources[type] ??= {})[name] = first(bodies);
    }
    for (const [type, byName] of entries(json.data)) {
      for (const [name, bodies] of entries(byName)) (mod.data[type] ??= {})[name] = first(bodies);
    }
    for (const [name, bodies] of entries(json.module)) mod.modules[name] = first(bodies);
    for (const [name, bodies] of entries(json.output)) mod.outputs[name] = first(bodies);
  }
  return mod;
}

/** The first (only) body of a block, as hcl2json wraps each body in an array. */
export function first(bodies: unknown): Record<string, unknown> {
  const body = Array.isArray(bodies) ? bodies[0] : bodies;
  if (typeof body !== 'object' || body === null) throw new Error(`expected a block body, got ${JSON.stringify(bodies)}`);
  return body as Record<string, unknown>;
}

function entries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null ? Object.entries(value) : [];
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
