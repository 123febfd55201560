import { ACTIONS_LIMIT, type ManualAction, type ServiceRecord } from '../schemas/release.js';
import type { ReleaseInput, Transition } from './release-input.js';

/** The inputs a person makes, with the action they are recorded as. */
function manualAction(input: ReleaseInput): { action: ManualAction['action']; by: string } | null {
  switch (input.type) {
    case 'promote':
    case 'pause':
    case 'resume':
      return { action: input.type, by: input.requestedBy };
    case 'rollback-traffic':
      return { action: 'rollback', by: input.requestedBy };
    case 'rollback-container':
      return { action: 'rollback-container', by: input.requestedBy };
    case 'undo':
    case 'retry':
      return { action: input.type, by: input.requestedBy };
    case 'push':
    case 'candidate-ready':
    case 'candidate-failed':
    case 'container-rollback-failed':
    case 'smoke-result':
    case 'analysis':
    case 'alert':
    case 'incident-closed':
    case 'template-change':
    case 'abort':
      return null;
    default: {
      const unreachable: never = input;
      throw new Error(`unhandled release input ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Records who did what: a manual input that changed the record is added to the record's actions
 * (newest first, bounded), and the history entry it wrote (if it ended the release) names the actor.
 * Ignored inputs are not recorded: nothing happened. Actions survive every transition.
 */
export function recordActor(
  before: ServiceRecord,
  input: ReleaseInput,
  result: Transition,
  now: Date,
): Transition {
  // A transition that rebuilt the record without its actions keeps them.
  const kept = result.record.actions ?? before.actions;
  const record: ServiceRecord = kept ? { ...result.record, actions: kept } : result.record;
  const manual = manualAction(input);
  if (!manual || result.ignored !== null) return { ...result, record };
  const releaseId = record.release?.id ?? null;
  const entry: ManualAction = {
    ...manual,
    at: now.toISOString(),
    releaseId,
    detail: result.summary,
  };
  const [latest, ...older] = record.history;
  const history =
    latest && latest.id === releaseId && latest.endedAt === entry.at
      ? [{ ...latest, by: manual.by }, ...older]
      : record.history;
  return {
    ...result,
    record: {
      ...record,
      history,
      actions: [entry, ...(record.actions ?? [])].slice(0, ACTIONS_LIMIT),
    },
  };
}
