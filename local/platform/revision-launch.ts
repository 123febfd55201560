import type { RevisionMessage } from '../emulator/cloud-run-types.js';
import { Recipe } from './revision-process.js';

/** The emulated registry, as far as starting an image needs it. */
export interface RecipeSource {
  recipe(digest: string): unknown;
  tags(imageRef: string): Array<{ tag: string; digest: string }>;
}

export type Launch =
  { ok: true; recipe: Recipe; env: Record<string, string> } | { ok: false; message: string };

/**
 * The digest an image reference names: `…@sha256:…` directly, `…:TAG` through the registry's
 * tags; null when the tag is unknown.
 */
export function digestOf(image: string, registry: RecipeSource): string | null {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const [ref, tag] =
    colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
  return registry.tags(ref).find((t) => t.tag === tag)?.digest ?? null;
}

/** The first container's plain env values (secret references have no local value and are left out). */
export function containerEnv(revision: RevisionMessage): Record<string, string> {
  const env = (revision.containers?.[0]?.env ?? []) as Array<{ name?: string; value?: string }>;
  return Object.fromEntries(
    env.flatMap((e) => (e.name && typeof e.value === 'string' ? [[e.name, e.value]] : [])),
  );
}

/**
 * How to start a revision locally: its image's recipe from the registry plus its container env.
 * Fails (as Cloud Run fails a revision whose image cannot be pulled) when the image has no recipe.
 */
export function launchOf(revision: RevisionMessage, registry: RecipeSource): Launch {
  const image = revision.containers?.[0]?.image ?? '';
  const digest = digestOf(image, registry);
  if (!digest)
    return { ok: false, message: `image ${image || '(none)'} was not found in the registry` };
  const parsed = Recipe.safeParse(registry.recipe(digest));
  if (!parsed.success) {
    return {
      ok: false,
      message: `image ${image} (${digest}) has no usable local recipe: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  }
  return { ok: true, recipe: parsed.data, env: containerEnv(revision) };
}
