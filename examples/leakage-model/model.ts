import { z } from 'zod';

/** Pipe materials the model knows, with their contribution to the leak logit. */
export const MATERIAL_WEIGHTS = {
  cast_iron: 0.6,
  ductile_iron: 0.2,
  steel: 0.3,
  asbestos_cement: 0.8,
  copper: -0.1,
  pvc: -0.4,
  hdpe: -0.6,
} as const;

export type Material = keyof typeof MATERIAL_WEIGHTS;

/** One request's features, validated: the body of `POST /predict`. */
export const Features = z
  .object({
    pressure_bar: z.number().positive('must be above 0').max(100, 'must be at most 100'),
    flow_lpm: z.number().min(0, 'must be 0 or more').max(100_000, 'must be at most 100000'),
    pipe_age_years: z.number().min(0, 'must be 0 or more').max(200, 'must be at most 200'),
    material: z.enum(Object.keys(MATERIAL_WEIGHTS) as [Material, ...Material[]]),
  })
  .strict();
export type Features = z.infer<typeof Features>;

export type FeaturesResult = { ok: true; features: Features } | { ok: false; issues: string[] };

/** Validates an already-parsed JSON body; issues read `field: what is wrong`. */
export function parseFeatures(body: unknown): FeaturesResult {
  const parsed = Features.safeParse(body);
  if (parsed.success) return { ok: true, features: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
  };
}

const INTERCEPT = -3.2;
const PRESSURE = 0.45;
const FLOW = 0.012;
const AGE = 0.045;

/**
 * A deterministic logistic score in [0, 1]: the same features always give the same probability.
 * `shift` is added after the sigmoid and the result clamped, so a shifted model drifts visibly.
 */
export function leakageProbability(features: Features, shift = 0): number {
  const logit =
    INTERCEPT +
    PRESSURE * features.pressure_bar +
    FLOW * features.flow_lpm +
    AGE * features.pipe_age_years +
    MATERIAL_WEIGHTS[features.material];
  const score = 1 / (1 + Math.exp(-logit)) + shift;
  return Math.round(Math.min(1, Math.max(0, score)) * 1e6) / 1e6;
}
