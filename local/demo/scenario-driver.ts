import type { DeploymentEvent, ReleaseEvent } from '../../shared/schemas/events.js';
import type { ModelKnobs } from '../model-image.js';
import type { DemoAction, Scenario } from './scenarios.js';

/** What the driver does to the stack. */
export interface DriverHands {
  push(tag: string, knobs: ModelKnobs): Promise<{ digest: string }>;
  requestRollback(mode: 'traffic' | 'container'): Promise<void>;
}

/** The end of the last push's release: the event that ended it. */
export type ReleaseEnd = Extract<
  ReleaseEvent,
  { type: 'release.promoted' | 'release.rolled-back' | 'release.rejected' | 'release.failed' }
>;

const ENDS = new Set([
  'release.promoted',
  'release.rolled-back',
  'release.rejected',
  'release.failed',
]);

/**
 * Plays a scenario's script against the stack while the release events come in: pushes, waits for
 * an event of the latest push's release, asks for rollbacks. A release belongs to a push when its
 * candidate runs the pushed digest (release.provisioned), or when a rejection names the digest.
 * The scenario has ended when the latest push's release has ended and the script waits on no more
 * of it (a release that ends early ends the scenario, with an outcome it did not expect).
 */
export class ScenarioDriver {
  private next = 0;
  private digest: string | null = null;
  private releaseId: string | null = null;
  private readonly seen = new Set<string>();
  private busy = false;
  /** Whether any release was superseded along the way. */
  superseded = false;
  end: ReleaseEnd | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly hands: DriverHands,
  ) {}

  /** Folds one event into what the driver knows. */
  observe(event: DeploymentEvent): void {
    if (event.type === 'release.superseded') this.superseded = true;
    if (!('releaseId' in event)) return;
    if (
      event.type === 'release.provisioned' &&
      this.digest &&
      event.candidate.image.endsWith(this.digest)
    ) {
      this.releaseId = event.releaseId;
      this.seen.clear();
    }
    if (event.type === 'release.rejected' && this.digest && event.image.includes(this.digest)) {
      this.releaseId = event.releaseId;
    }
    if (event.releaseId !== this.releaseId) return;
    this.seen.add(event.type);
    if (!ENDS.has(event.type)) return;
    const waiting = this.waitingOn;
    // Ended before the script was done (and not with the event the script waits for): the
    // scenario cannot go on; its outcome is this end.
    if (!waiting || waiting.do !== 'await' || waiting.event !== event.type) {
      this.end = event as ReleaseEnd;
    }
  }

  /** The script is done and the latest push's release has ended. */
  get finished(): boolean {
    return this.end !== null;
  }

  /** The action the script waits on, for a timeout message. */
  get waitingOn(): DemoAction | null {
    return this.scenario.script[this.next] ?? null;
  }

  /** Runs every action whose turn has come; returns the ones it ran. Never runs two at once. */
  async advance(): Promise<DemoAction[]> {
    if (this.busy) return [];
    this.busy = true;
    const ran: DemoAction[] = [];
    try {
      for (let action = this.waitingOn; action; action = this.waitingOn) {
        if (action.do === 'await' && !this.seen.has(action.event)) break;
        if (action.do === 'push') {
          this.digest = (await this.hands.push(action.tag, action.knobs ?? {})).digest;
          this.releaseId = null;
          this.seen.clear();
        } else if (action.do === 'rollback') await this.hands.requestRollback(action.mode);
        this.next += 1;
        ran.push(action);
      }
    } finally {
      this.busy = false;
    }
    return ran;
  }
}
