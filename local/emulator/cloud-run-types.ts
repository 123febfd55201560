/**
 * Cloud Run Admin v2 messages as they travel over gRPC through the proto loader: proto field names
 * (snake_case), enums as their names, int64 as decimal strings, proto3 defaults absent. Only the
 * fields the emulator reads are typed; every other field is carried through unchanged.
 */

export interface Timestamp {
  seconds: string;
  nanos: number;
}

export type ConditionState =
  | 'STATE_UNSPECIFIED'
  | 'CONDITION_PENDING'
  | 'CONDITION_RECONCILING'
  | 'CONDITION_FAILED'
  | 'CONDITION_SUCCEEDED';

export interface Condition {
  type?: string;
  state?: ConditionState;
  message?: string;
  last_transition_time?: Timestamp;
  severity?: string;
  reason?: string;
  revision_reason?: string;
}

export type TrafficType =
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED'
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

export const LATEST: TrafficType = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
export const REVISION: TrafficType = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

export interface TrafficTarget {
  type?: TrafficType;
  revision?: string;
  percent?: number;
  tag?: string;
}

export interface TrafficTargetStatus extends TrafficTarget {
  uri?: string;
}

export interface Container {
  name?: string;
  image?: string;
  [field: string]: unknown;
}

export interface RevisionTemplate {
  revision?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  containers?: Container[];
  service_account?: string;
  [field: string]: unknown;
}

export interface ServiceMessage {
  name?: string;
  uid?: string;
  generation?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  create_time?: Timestamp;
  update_time?: Timestamp;
  template?: RevisionTemplate;
  traffic?: TrafficTarget[];
  traffic_statuses?: TrafficTargetStatus[];
  latest_ready_revision?: string;
  latest_created_revision?: string;
  uri?: string;
  urls?: string[];
  terminal_condition?: Condition;
  conditions?: Condition[];
  observed_generation?: string;
  reconciling?: boolean;
  etag?: string;
  [field: string]: unknown;
}

export interface RevisionMessage {
  name: string;
  uid: string;
  service: string;
  generation: string;
  containers?: Container[];
  conditions: Condition[];
  reconciling?: boolean;
  [field: string]: unknown;
}

export interface AnyMessage {
  type_url: string;
  value: Buffer;
}

export interface OperationMessage {
  name: string;
  metadata?: AnyMessage;
  done?: boolean;
  response?: AnyMessage;
  error?: { code: number; message: string };
}
