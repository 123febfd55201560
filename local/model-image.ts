import type { Recipe } from './platform/index.js';

/** Environment knobs of examples/leakage-model (EXTRA_LATENCY_MS, ERROR_RATE, PREDICTION_SHIFT…). */
export type ModelKnobs = Record<string, string>;

/**
 * Whether this module runs compiled (dist/local/model-image.js, as in the published package) or
 * from the TypeScript sources through tsx.
 */
const COMPILED = !import.meta.url.endsWith('.ts');

/**
 * How the local platform starts a version of the sample model: Node on
 * examples/leakage-model/server (the compiled .js beside this build, or the .ts through tsx from a
 * clone) from the stack's root (stack-options' REPO_ROOT: the repository, or dist/ when compiled),
 * MODEL_VERSION set to the tag, and the knobs that make this version slow, failing, drifting or
 * otherwise different.
 */
export function modelRecipe(tag: string, knobs: ModelKnobs = {}): Recipe {
  return {
    command: process.execPath,
    args: COMPILED
      ? ['examples/leakage-model/server.js']
      : ['--import', 'tsx', 'examples/leakage-model/server.ts'],
    env: { MODEL_VERSION: tag, ...knobs },
    cwd: '.',
  };
}
