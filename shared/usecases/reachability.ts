import { PermanentError } from '../errors.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { Config } from '../schemas/config.js';
import { ingressProblem } from '../schemas/network.js';

/**
 * Refuses to start a release that could only fail its smoke test: the service's ingress, as Cloud
 * Run reports it, is internal but cutover's functions have no VPC egress to reach it. Thrown as a
 * PermanentError, so the push is acknowledged and published as release.failed.
 */
export function assertReachable(config: Config, view: ServiceView): void {
  const problem = ingressProblem(view.ingress ?? 'all', config.functionsVpcEgress);
  if (problem)
    throw new PermanentError(
      'start release',
      'FAILED_PRECONDITION',
      `${view.name} has ${problem}; no candidate was deployed`,
    );
}
