import { silentRevision, type RevisionMetrics } from '../domain/measurement.js';
import { activeRelease, transition } from '../domain/release-machine.js';
import type { MachineContext, ReleaseInput, Transition } from '../domain/release-input.js';
import { heldInput, letGo } from '../domain/release-held.js';
import { PermanentError } from '../errors.js';
import { holdFailedRequest } from './held-request.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { HeldRequest, Release, ServiceRecord } from '../schemas/release.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { Delivery } from '../domain/deliveries.js';
import { applyDecision, type Applied } from './apply.js';
import type { Deps } from './deps.js';
import { outOfBandDecision } from './out-of-band.js';
import { smokePhase } from './smoke-test.js';
import { templateChangeDecision } from './template-change.js';
import { unfinishedContainerRollback } from './unfinished-rollback.js';
import {
  holdsSmokeLease,
  letGoOfSmokeLease,
  releasingLease,
  smokeLease,
  waitingWithoutLease,
} from './smoke-lease.js';
import { overdue } from '../domain/progress.js';
import { deployInFlight } from './deploy-in-flight.js';

type Shifting = Extract<Release, { phase: 'shifting' }>;

/** What woke the reconciler: a tick, or an event naming the release (and step) it was made for. */
export interface Trigger {
  releaseId?: string;
  step?: number | null;
}

/**
 * Moves the active release of one service on by one decision, whatever its phase: a
 * provisioning candidate is checked for readiness, a ready one smoke tested, a shifting one
 * measured and judged. Triggers naming another release or step are stale and ignored. Between
 * releases a tick finishes a container rollback whose revision did not start (unfinished-rollback.ts)
 * and releases a template change made outside cutover (template-change.ts); during
 * one, traffic changed outside cutover ends it without touching the traffic (out-of-band.ts).
 */
export async function advanceService(
  deps: Deps,
  config: ServiceConfig,
  trigger: Trigger = {},
  delivery?: Delivery,
): Promise<Applied> {
  const owner = deps.newId();
  const claim = { tried: false };
  let first: Applied | null = null;
  try {
    first = await advanceOnce(deps, config, trigger, delivery, owner, claim);
  } catch (error) {
    // A claim that landed with its answer lost still makes this invocation the phase's holder.
    if (!claim.tried || !(await holdsSmokeLease(deps, config.service, owner))) throw error;
  }
  // A claim that landed is what the pass applied; any other outcome (another's lease, or the
  // phase already run on a re-read after a lost answer) leaves nothing to run.
  if (first && !(first.kind === 'applied' && first.transition.provisional)) return first;
  // It holds the smoke phase (smoke-lease.ts): now it runs it, acting on the delivery (the
  // claim's write did not record it); a pass that fails lets go of the phase.
  try {
    return await advanceOnce(deps, config, trigger, delivery, owner, { tried: false });
  } catch (error) {
    await letGoOfSmokeLease(deps, config.service, owner).catch(() => undefined);
    throw error;
  }
}

async function advanceOnce(
  deps: Deps,
  config: ServiceConfig,
  trigger: Trigger,
  delivery: Delivery | undefined,
  owner: string,
  claim: { tried: boolean },
): Promise<Applied> {
  const options = delivery ? { delivery } : {};
  // A person's request that was refused is retried before anything else moves (release-held.ts).
  let retried: HeldRequest | null = null;
  const decided = applyDecision(
    deps,
    config.service,
    async (record, view) => {
      const ctx = { config, now: deps.clock.now() };
      retried = record.held ?? null;
      if (retried) return retryHeld(record, retried, ctx);
      const active = activeRelease(record);
      const stale = staleness(active, trigger);
      const between = !active && trigger.releaseId === undefined;
      const unfinished = between
        ? await unfinishedContainerRollback(deps, config, record, view)
        : null;
      if (unfinished) return transition(record, unfinished, ctx);
      const change = between ? templateChangeDecision(deps, config, record, view) : null;
      if (change) return change;
      if (!active || stale) return noop(record, stale ?? 'no active release');
      const outside = await outOfBandDecision(deps, config, record, active, view);
      if (outside) return outside;
      const late = overdue(active, config.progressDeadlineSeconds, ctx.now);
      if (late)
        return transition(record, { type: 'abort', releaseId: active.id, reason: late }, ctx);
      const lease =
        active.phase === 'smoke-testing' ? smokeLease(record, active, owner, ctx.now) : null;
      if (lease?.kind === 'held') return noop(record, lease.why);
      if (lease?.kind === 'free') {
        claim.tried = true;
        return lease.claim;
      }
      const input = await nextInput(deps, config, record, active, view);
      const waiting = `release ${active.id} is waiting (${active.phase})`;
      const next = input
        ? transition(record, input, { ...ctx, now: deps.clock.now() })
        : noop(record, waiting);
      // The smoke phase this invocation held is over, or waits: either way it lets go.
      if (!lease) return next;
      return next.ignored === null ? releasingLease(next) : waitingWithoutLease(record, waiting);
    },
    options,
  );
  try {
    return await decided;
  } catch (error) {
    const held: HeldRequest | null = retried;
    if (!held || !(error instanceof PermanentError)) throw error;
    const { request, requestedBy } = held;
    return holdFailedRequest(deps, config, { request, requestedBy }, error, delivery);
  }
}

/** Carries out the held request again; one that no longer applies is let go, saying why. */
function retryHeld(record: ServiceRecord, held: HeldRequest, ctx: MachineContext): Transition {
  const result = transition(record, heldInput(held), ctx);
  if (result.ignored === null) return result;
  return {
    record: letGo(record),
    commands: [],
    ignored: null,
    summary: `the held ${held.request.type} by ${held.requestedBy} no longer applies: ${result.ignored}`,
  };
}

function staleness(active: ReturnType<typeof activeRelease>, trigger: Trigger): string | null {
  if (!active || trigger.releaseId === undefined) return null;
  if (trigger.releaseId !== active.id)
    return `event for release ${trigger.releaseId}, but the active release is ${active.id}`;
  const step = active.phase === 'shifting' ? active.step.index : null;
  if (trigger.step !== undefined && trigger.step !== step)
    return `event for step ${trigger.step}, but release ${active.id} is at step ${step}`;
  return null;
}

function noop(record: ServiceRecord, reason: string): Transition {
  return { record, commands: [], ignored: reason, summary: `ignored: ${reason}` };
}

async function nextInput(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  active: NonNullable<ReturnType<typeof activeRelease>>,
  view: ServiceView,
): Promise<ReleaseInput | null> {
  switch (active.phase) {
    case 'provisioning': {
      // provisionGreen saw the deploy's own outcome; a tick finding the release still provisioning
      // means it was interrupted (crash, timeout). A missing or failed revision then is not a
      // judgement of the image: the release ends aborted and the image may be released again.
      const revision = await deps.platform().revision(config.service, active.candidate.revision);
      if (!revision && (await deployInFlight(deps, config, record.stable.revision, active, view)))
        return null;
      if (revision?.state === 'pending') return null;
      if (revision?.state === 'ready') return { type: 'candidate-ready', releaseId: active.id };
      const why = revision
        ? `revision ${active.candidate.revision} failed while its provisioning was interrupted: ${revision.detail}`
        : `revision ${active.candidate.revision} does not exist: its provisioning was interrupted`;
      return {
        type: 'abort',
        releaseId: active.id,
        reason: `${why}; retry with \`cutover retry\``,
      };
    }
    case 'smoke-testing': {
      const phase = await smokePhase(deps, config, record, active, view);
      return phase ? { type: 'smoke-result', releaseId: active.id, ...phase } : null;
    }
    case 'shifting':
      return active.paused ? null : measureStep(deps, config, record, active);
    default: {
      const unreachable: never = active;
      throw new Error(`unhandled phase ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Measures blue and green over the same window: from `evidenceSince` (the first step's start, or
 * the last resume; older records: the step's start) to now minus the monitoring lag. Green's
 * earlier steps stay evidence about green, so the judge pools them; the bake counts the current
 * step's part of the window, which opens (its first data is visible) monitoringLagSeconds after
 * the step began (release-shifting.ts, step-policy.ts). Before the step's own evidence opens,
 * the step is measured as no data (inconclusive).
 * At 100% the stable serves nothing, so blue's baseline is everything blue served from the
 * release's start until this step began: recent, not concurrent (README, "The 100% step").
 */
async function measureStep(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  active: Shifting,
): Promise<ReleaseInput> {
  const stepStart = new Date(active.step.startedAt);
  const start = new Date(active.evidenceSince ?? active.step.startedAt);
  const end = new Date(deps.clock.now().getTime() - config.monitoringLagSeconds * 1000);
  const window = { start, end };
  const baseline =
    active.step.percent < 100 ? window : { start: new Date(active.startedAt), end: stepStart };
  const [blue, green] =
    end > stepStart
      ? await Promise.all([
          baseline.end > baseline.start
            ? deps.metrics().measure(config.service, record.stable.revision, baseline)
            : silentRevision('blue has no baseline window before the 100% step'),
          deps.metrics().measure(config.service, active.candidate.revision, window),
        ])
      : [closedWindow(), closedWindow()];
  return { type: 'analysis', releaseId: active.id, step: active.step.index, blue, green, window };
}

function closedWindow(): RevisionMetrics {
  return silentRevision('the step is younger than the monitoring lag');
}
