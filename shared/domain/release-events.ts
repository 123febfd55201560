import type { DeploymentEvent } from '../schemas/events.js';
import type { Release, Verdict } from '../schemas/release.js';
import type { Command } from './commands.js';

type ReleaseEventFields = {
  service: string;
  releaseId: string;
  step: number | null;
  percent: number;
  at: string;
  verdict: Verdict | null;
};

/** The fields every `release.*` event carries, read off the release as it now stands. */
export function eventBase(
  service: string,
  release: Release,
  now: Date,
  verdict?: Verdict | null,
): ReleaseEventFields {
  const shifting = release.phase === 'shifting' ? release : null;
  const percent =
    release.phase === 'shifting' ? release.step.percent : release.phase === 'promoted' ? 100 : 0;
  return {
    service,
    releaseId: release.id,
    step: shifting ? shifting.step.index : null,
    percent,
    at: now.toISOString(),
    verdict: verdict ?? ('lastVerdict' in release ? release.lastVerdict : null),
  };
}

/** A publish command for one deployment event. */
export function publish(event: DeploymentEvent): Command {
  return { kind: 'publish', event };
}
