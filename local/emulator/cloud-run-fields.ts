import * as grpc from '@grpc/grpc-js';
import { MAX_REVISION_NAME } from '../../shared/domain/run-limits.js';
import { RpcError } from './faults.js';
import { clone } from './cloud-run-codec.js';
import type { RevisionTemplate, ServiceMessage } from './cloud-run-types.js';

/** Service fields a write sets; everything else is output only. */
export const MUTABLE_FIELDS = [
  'description',
  'labels',
  'annotations',
  'client',
  'client_version',
  'ingress',
  'launch_stage',
  'binary_authorization',
  'template',
  'traffic',
  'scaling',
  'invoker_iam_disabled',
  'default_uri_disabled',
  'iap_enabled',
  'multi_region_settings',
  'custom_audiences',
  'build_config',
] as const;

export interface CreateServiceRequest {
  parent?: string;
  service?: ServiceMessage;
  service_id?: string;
  validate_only?: boolean;
}

export interface UpdateServiceRequest {
  service?: ServiceMessage;
  update_mask?: { paths?: string[] };
  validate_only?: boolean;
  allow_missing?: boolean;
}

export interface DeleteServiceRequest {
  name?: string;
  validate_only?: boolean;
  etag?: string;
}

/** Cloud Run's rule for a revision name (captured error text in docs/google-behaviour.md). */
const REVISION_NAME = new RegExp(`^[a-z]([-a-z0-9]{0,${MAX_REVISION_NAME - 2}}[a-z0-9])?$`);

export function invalid(message: string): RpcError {
  return new RpcError(grpc.status.INVALID_ARGUMENT, message);
}

export function validateTemplate(template: RevisionTemplate | undefined, serviceId: string): void {
  if (!template) throw invalid('service.template is required');
  const containers = template.containers ?? [];
  if (containers.length === 0)
    throw invalid('service.template.containers must name at least one container');
  containers.forEach((container, index) => {
    if (!container.image) throw invalid(`service.template.containers[${index}].image is required`);
  });
  if (template.revision && !REVISION_NAME.test(template.revision))
    throw invalid(
      `service.template.revision: only lowercase, digits, and hyphens; must begin with letter, and may not end with hyphen; must be less than ${MAX_REVISION_NAME + 1} characters.`,
    );
  if (template.revision && !template.revision.startsWith(`${serviceId}-`)) {
    throw invalid(
      `service.template.revision "${template.revision}" must start with "${serviceId}-"`,
    );
  }
}

export function pickMutable(
  target: ServiceMessage,
  source: ServiceMessage,
  fields: Iterable<string>,
): void {
  for (const field of fields) {
    if (source[field] === undefined) delete target[field];
    else target[field] = clone(source[field]);
  }
}
