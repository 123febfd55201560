import type { DeploymentEvent } from '../../shared/schemas/events.js';

/**
 * Which color each model version's revision holds, learnt from the pushes (tag ↔ digest) and
 * from the slots the release events name (image by digest → color), so the bar can say which
 * share of the served answers is blue and which is green.
 */
export class VersionColors {
  readonly map: Record<string, 'blue' | 'green'> = {};
  private readonly tagOf = new Map<string, string>();

  /** Tags already in the registry (the first version). */
  learn(tags: Array<{ tag: string; digest: string }>): void {
    for (const t of tags) this.tagOf.set(t.digest, t.tag);
  }

  pushed(tag: string, digest: string): void {
    this.tagOf.set(digest, tag);
  }

  observe(event: DeploymentEvent): void {
    const slots =
      event.type === 'release.provisioned'
        ? [event.stable, event.candidate]
        : event.type === 'release.promoted' || event.type === 'release.rolled-back'
          ? [event.stable]
          : [];
    for (const slot of slots) {
      const digest = slot.image.split('@')[1];
      const tag = digest === undefined ? undefined : this.tagOf.get(digest);
      if (tag !== undefined) this.map[tag] = slot.color;
    }
  }
}
