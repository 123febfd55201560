import type { ServiceConfig } from '../schemas/config.js';
import { CutoverError } from '../errors.js';
import { advanceService } from './advance.js';
import type { Deps } from './deps.js';
import { logOutcome } from './log-outcome.js';

/**
 * One scheduler tick of slot `slot` for each of `services`, in this invocation: no per-service
 * messages are published, so N deliveries of a tick publish nothing N times, and each service's
 * record acts on the slot once (a later delivery of it is a duplicate). Every service is advanced
 * even when one fails; then the first transient failure is rethrown so Pub/Sub redelivers (the
 * services that acted ignore the redelivery by its slot), and permanent ones are logged.
 */
export async function tickServices(
  deps: Deps,
  services: ServiceConfig[],
  slot: string,
  report: <T>(service: string, work: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const results = await Promise.allSettled(
    services.map(async (config) => {
      const outcome = await report(config.service, () =>
        advanceService(deps, config, {}, { kind: 'tick', slot }),
      );
      logOutcome(deps.logger.with({ service: config.service, slot }), outcome);
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const transient = failures.find((e) => !(e instanceof CutoverError) || e.retryable);
  if (transient !== undefined) throw transient;
  for (const error of failures)
    deps.logger.error(`tick ${slot}: ${(error as Error).message}`, { error });
}
