import { dueEffects, settle, settles, type Settlement } from '../domain/outbox.js';
import { ConflictError, CutoverError } from '../errors.js';
import type { ServiceView } from '../ports/service-platform.js';
import { DeploymentEvent } from '../schemas/events.js';
import type { Effect } from '../schemas/outbox.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';
import { tagImage } from './tag-image.js';

/** How often the write that clears done effects is re-made after a concurrent write. */
const SETTLE_ATTEMPTS = 3;

/**
 * Carries out the record's owed side effects that `owner` may carry out now (its own, and any
 * past their due time), then writes the record without the done ones. An effect that fails stays
 * owed with its error (visible in the record) and is re-driven by the next delivery or tick.
 * Publishes go in order: after a failed one the later ones wait, so subscribers see the order.
 * Returns the view after the last write.
 */
export async function drainOutbox(
  deps: Deps,
  view: ServiceView,
  record: ServiceRecord,
  owner: string,
): Promise<ServiceView> {
  const due = dueEffects(record.outbox, owner, deps.clock.now());
  if (due.length === 0) return view;
  const result = await carryOut(deps, view.name, due);
  if (!settles(result)) return view;
  let current = view;
  let latest = record;
  for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
    try {
      return await deps
        .platform()
        .update(current, { traffic: current.written, record: settle(latest, result) });
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt === SETTLE_ATTEMPTS) {
        // The effects stay owed in the record: the next delivery or tick re-drives them (each
        // event carries its id, so a subscriber can drop a second copy).
        deps.logger.warn('side effects carried out, but not cleared from the record', {
          service: view.name,
          effects: result.done,
          error,
        });
        return current;
      }
      current = await deps.platform().get(view.name);
      if (!current.record) return current;
      latest = current.record;
      // The write may have landed with its answer lost, or another invocation settled them.
      const ids = new Set([...result.done, ...result.failed.map((f) => f.id)]);
      if (!(latest.outbox?.owed ?? []).some((e) => ids.has(e.id))) return current;
    }
  }
  return current;
}

async function carryOut(deps: Deps, service: string, due: Effect[]): Promise<Settlement> {
  const result: Settlement = { done: [], failed: [] };
  let publishing = true;
  for (const effect of due) {
    if (effect.kind === 'publish' && !publishing) continue;
    try {
      await execute(deps, effect);
      result.done.push(effect.id);
    } catch (error) {
      const message = describe(effect, error);
      deps.logger.error(message, {
        service,
        effect: effect.id,
        attempts: effect.attempts + 1,
        error,
      });
      result.failed.push({ id: effect.id, error: message });
      if (effect.kind === 'publish') publishing = false;
    }
  }
  return result;
}

async function execute(deps: Deps, effect: Effect): Promise<void> {
  switch (effect.kind) {
    case 'publish': {
      const parsed = DeploymentEvent.safeParse(effect.event);
      if (!parsed.success) {
        // Nothing can make it valid later: drop it (logged) rather than owe it forever.
        deps.logger.error('owed event does not match the event schema; dropped', {
          effect: effect.id,
          issues: parsed.error.issues,
        });
        return;
      }
      await deps.bus().publish(deps.config.topics.deploymentEvents, parsed.data, {
        type: parsed.data.type,
      });
      return;
    }
    case 'tag-image':
      await tagImage(deps, effect.image, effect.tag);
      return;
    default: {
      const unreachable: never = effect;
      throw new Error(`unhandled effect ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The error of a failed effect, with what a person can do about it. */
function describe(effect: Effect, error: unknown): string {
  const cause = error instanceof Error ? error.message : String(error);
  const retryable = error instanceof CutoverError ? error.retryable : true;
  if (effect.kind === 'tag-image') {
    const fix = retryable
      ? 'it is retried on the next tick'
      : "grant the functions' service account roles/artifactregistry.writer on the repository; it is retried on every tick until it passes";
    return `tag ${effect.tag} on ${effect.image} not created: ${cause}; ${fix}`;
  }
  const fix = retryable
    ? 'it is retried on the next tick'
    : "grant the functions' service account roles/pubsub.publisher on the topic; it is retried on every tick until it passes";
  return `${String(effect.event.type)} (${effect.id}) not published: ${cause}; ${fix}`;
}
