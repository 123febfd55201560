import { z } from 'zod';

/**
 * The Cloud Run service's ingress setting, as cutover's config states it. `internal` and
 * `internal-and-cloud-load-balancing` accept requests from Cloud Functions only when they go
 * through the VPC network (cloud.google.com/run/docs/securing/ingress).
 */
export const Ingress = z.enum(['all', 'internal', 'internal-and-cloud-load-balancing']);
export type Ingress = z.infer<typeof Ingress>;

/**
 * Direct VPC egress of cutover's functions (cloud.google.com/functions/docs/running/direct-vpc).
 * Terraform sets the same values on the function resources; cutover reads them here to know
 * whether its smoke test can reach an internal service's tag URLs.
 */
export const VpcEgress = z
  .object({
    /** `projects/P/global/networks/N` or the network's name. */
    network: z.string().min(1),
    /** `projects/P/regions/R/subnetworks/S` or the subnet's name; enable Private Google Access on it. */
    subnetwork: z.string().min(1),
    /** `all-traffic` sends requests to `*.run.app` (public addresses) through the VPC too. */
    egress: z.enum(['all-traffic', 'private-ranges-only']).default('all-traffic'),
  })
  .strict();
export type VpcEgress = z.infer<typeof VpcEgress>;

/** Why the functions cannot reach a service of this ingress, or null when they can. */
export function ingressProblem(ingress: Ingress, egress: VpcEgress | undefined): string | null {
  if (ingress === 'all') return null;
  const need = `cutover's functions must reach its tag URLs through the VPC (Cloud Run counts requests from Cloud Functions as internal only when they go to the VPC network)`;
  if (!egress)
    return `ingress "${ingress}": ${need}; set functionsVpcEgress {network, subnetwork, egress: "all-traffic"} (Direct VPC egress, with Private Google Access on the subnet), or every release would fail its smoke test`;
  if (egress.egress !== 'all-traffic')
    return `ingress "${ingress}": functionsVpcEgress.egress must be "all-traffic": ${need}, and "private-ranges-only" sends requests to *.run.app addresses outside it`;
  return null;
}

/** The API's enum name for an ingress setting. */
export function ingressFromApi(value: unknown): Ingress {
  if (value === 'INGRESS_TRAFFIC_INTERNAL_ONLY' || value === 2) return 'internal';
  if (value === 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' || value === 3)
    return 'internal-and-cloud-load-balancing';
  return 'all';
}
