import { transition, activeRelease, type ReleaseInput } from '../shared/domain/release-machine.js';
import { serviceConfig, type Config } from '../shared/schemas/config.js';
import type { Release, ServiceRecord } from '../shared/schemas/release.js';

/** A manual action as the CLI and the release page send it. */
export type ManualInput = Extract<
  ReleaseInput,
  { type: 'promote' | 'pause' | 'resume' | 'rollback-traffic' | 'undo' }
>;

function ended(release: Release): string {
  const at = 'endedAt' in release ? ` at ${release.endedAt}` : '';
  const by = 'requestedBy' in release && release.requestedBy ? ` by ${release.requestedBy}` : '';
  switch (release.phase) {
    case 'promoted':
      return `was promoted${at}${by}`;
    case 'rolled-back':
      return `was rolled back${at}${by} (${release.trigger}: ${release.reason})`;
    case 'superseded':
      return `was superseded${at} by ${release.supersededBy}${release.reason ? ` (${release.reason})` : ''}`;
    case 'provisioning':
    case 'smoke-testing':
    case 'shifting':
      return `is ${release.phase}`;
    default: {
      // A phase added later (e.g. aborted): say it as it is.
      const other: { phase: string } = release;
      return `ended ${other.phase}${at}`;
    }
  }
}

/**
 * Why `input` would change nothing on this record, or null when it would act. With the service's
 * config the domain decides (the same transition the functions run); without it only the
 * no-active-release case is told. The no-release phrasing points at what the user can do instead.
 */
export function nothingToDo(
  input: ManualInput,
  record: ServiceRecord | null,
  config: Config | null,
  service: string,
  now: Date,
): string | null {
  if (!record) return 'no release yet: cutover has not released this service';
  const last = record.release;
  const active = activeRelease(record);
  if (!active && input.type !== 'undo') {
    const hint =
      last?.phase === 'promoted' ? '; use `cutover undo` to put the previous revision back' : '';
    return last
      ? `no active release: the last one (${last.id}, ${last.tag}) ${ended(last)}${hint}`
      : 'no active release: cutover has not released this service yet';
  }
  const cfg = config ? serviceConfig(config, service) : null;
  if (cfg) {
    const result = transition(record, input, { config: cfg, now });
    return result.ignored;
  }
  if (input.type === 'undo' && last?.phase !== 'promoted')
    return last
      ? `nothing to undo: the last release (${last.id}) ${ended(last)}`
      : 'nothing to undo: no release yet';
  return null;
}
