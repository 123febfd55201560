import type { Recipe } from './platform/index.js';

/** Environment knobs of examples/leakage-model (EXTRA_LATENCY_MS, ERROR_RATE, PREDICTION_SHIFT…). */
export type ModelKnobs = Record<string, string>;

/**
 * How the local platform starts a version of the sample model: Node with tsx on
 * examples/leakage-model/server.ts from the repository root, MODEL_VERSION set to the tag, and
 * the knobs that make this version slow, failing, drifting or otherwise different.
 */
export function modelRecipe(tag: string, knobs: ModelKnobs = {}): Recipe {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', 'examples/leakage-model/server.ts'],
    env: { MODEL_VERSION: tag, ...knobs },
    cwd: '.',
  };
}
