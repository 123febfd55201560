import { activeRelease } from '../shared/domain/release-machine.js';
import { CutoverError } from '../shared/errors.js';
import type { Deps } from '../shared/usecases/deps.js';

/**
 * Runs a use case for one service; a permanent failure is published as release.failed (with the
 * active release's id when there is one) before it propagates to be logged and acknowledged.
 */
export async function reportFailure<T>(
  deps: Deps,
  service: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CutoverError && !error.retryable) {
      const record = await deps
        .platform()
        .get(service)
        .then((v) => v.record)
        .catch(() => null);
      const active = record ? activeRelease(record) : null;
      await deps.bus().publish(deps.config.topics.deploymentEvents, {
        type: 'release.failed',
        service,
        releaseId: active?.id ?? 'none',
        step: active?.phase === 'shifting' ? active.step.index : null,
        percent: active?.phase === 'shifting' ? active.step.percent : 0,
        at: deps.clock.now().toISOString(),
        verdict: null,
        error: error.message,
      });
    }
    throw error;
  }
}
