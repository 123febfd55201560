import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { ConfigError } from '../../shared/errors.js';
import { resolve } from './evaluate.js';
import { loadTfFiles, moduleOf } from './hcl.js';
import { inferenceLogBucket, renderConfig, type ModuleInput, type ServiceInput } from './render-config.js';

const files = await loadTfFiles();
const mod = moduleOf(files, '');
const example = moduleOf(files, 'examples/basic');

/** The example's own variable values: its defaults, plus the one it requires. */
const exampleVars = { project_id: 'cutover-demo' };
const sample = JSON.parse(
  readFileSync(new URL('../../examples/cutover.config.json', import.meta.url), 'utf8'),
) as { services: Record<string, unknown>[] };

/** The module's inputs as the example sets them (those the config depends on), then its defaults. */
function moduleInputs(): Record<string, unknown> {
  const { source: _source, ...args } = example.modules.cutover ?? {};
  const given = resolve(args, example, exampleVars) as Record<string, unknown>;
  const defaults = Object.fromEntries(
    Object.entries(mod.variables)
      .filter(([, v]) => 'default' in v)
      .map(([k, v]) => [k, v.default]),
  );
  return { ...defaults, ...given };
}

/** Builds the renderer's input, taking topic and metric names from the module's own declarations. */
function renderInput(inputs: Record<string, unknown>): ModuleInput {
  const config = mod.locals.cutover_config as Record<string, unknown>;
  return {
    project_id: inputs.project_id as string,
    region: inputs.region as string,
    services: inputs.services as Record<string, ServiceInput>,
    inference_log_env_name: inputs.inference_log_env_name as string,
    max_event_age_seconds: (inputs.max_event_age_seconds ?? null) as number | null,
    topics: resolve(config.topics, mod, inputs) as ModuleInput['topics'],
    predictionMetric: resolve(config.predictionMetric, mod, inputs) as string,
    webhook: config.webhook as ModuleInput['webhook'],
  };
}

/** Every key path of an object (arrays of objects included), e.g. "release.smoke.routes.body". */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, prefix));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

describe('the config the module renders for the example', () => {
  const inputs = moduleInputs();
  const rendered = renderConfig(renderInput(inputs));

  it('validates against cutover’s config schema', () => {
    expect(() => parseConfig(rendered)).not.toThrow();
  });

  it('is the sample config of examples/, but for the buckets the module creates', () => {
    const config = parseConfig(rendered);
    const expected = parseConfig(sample);
    const { colors, ...settings } = config.services[0]!;
    const { colors: _sampleColors, ...expectedSettings } = expected.services[0]!;
    expect(settings).toEqual(expectedSettings);
    expect(colors).toEqual({
      blue: {
        env: { INFERENCE_LOG_BUCKET: 'cutover-demo-leakage-model-inference-blue' },
        serviceAccount: 'crun-leakage-model-blue@cutover-demo.iam.gserviceaccount.com',
      },
      green: {
        env: { INFERENCE_LOG_BUCKET: 'cutover-demo-leakage-model-inference-green' },
        serviceAccount: 'crun-leakage-model-green@cutover-demo.iam.gserviceaccount.com',
      },
    });
    expect(config.topics).toEqual({
      deploymentEvents: 'cutover-deployment-events',
      rollbackRequests: 'cutover-rollback-requests',
    });
    expect(config.predictionMetric).toBe('logging.googleapis.com/user/cutover-prediction');
  });

  it('keeps each color in its own bucket of at most 63 characters', () => {
    const long = 'a'.repeat(30);
    const id = `s${'x'.repeat(48)}`;
    const blue = inferenceLogBucket(long, id, 'blue');
    const green = inferenceLogBucket(long, id, 'green');
    expect(blue).not.toBe(green);
    expect(green.length).toBeLessThanOrEqual(63);
    expect(green).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it('sets only keys the module’s services type declares', () => {
    const type = String(mod.variables.services?.type);
    const services = inputs.services as Record<string, unknown>;
    for (const service of Object.values(services)) {
      for (const path of keyPaths(service)) {
        const key = path.split('.').at(-1) ?? '';
        if (path.includes('.env.')) continue; // env maps hold free-form names
        expect(type, path).toMatch(new RegExp(`\\b${key}\\s*=`));
      }
    }
  });

  it('passes thresholds.clearlyBad through, its unset keys left to cutover’s defaults', () => {
    const services = inputs.services as Record<string, ServiceInput>;
    const withBad = (clearlyBad: Record<string, number | null>) =>
      Object.fromEntries(
        Object.entries(services).map(([id, s]) => {
          const release = s.release ?? {};
          const thresholds = { ...(release.thresholds as Record<string, unknown>), clearlyBad };
          return [id, { ...s, release: { ...release, thresholds } }];
        }),
      );
    const config = parseConfig(
      renderConfig(
        renderInput({
          ...inputs,
          services: withBad({ max5xxRate: 0.05, p95Increase: null, predictionDrift: null }),
        }),
      ),
    );
    expect(config.services[0]!.thresholds.clearlyBad).toEqual({
      max5xxRate: 0.05,
      p95Increase: 0.25,
      predictionDrift: 0.25,
    });
    // a clearly-bad rate at the limit itself is refused by cutover's schema
    const atLimit = renderConfig(
      renderInput({
        ...inputs,
        services: withBad({ max5xxRate: 0.02, p95Increase: null, predictionDrift: null }),
      }),
    );
    expect(() => parseConfig(atLimit)).toThrow(ConfigError);
  });

  it('fails validation when the release settings are wrong', () => {
    const services = inputs.services as Record<string, ServiceInput>;
    const broken = Object.fromEntries(
      Object.entries(services).map(([id, s]) => [id, { ...s, release: { ...s.release, steps: [10, 50] } }]),
    );
    const bad = renderConfig(renderInput({ ...inputs, services: broken }));
    expect(() => parseConfig(bad)).toThrow(ConfigError);
  });
});
