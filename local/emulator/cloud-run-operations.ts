import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { packService } from './cloud-run-codec.js';
import { loadProto, serviceDefinition } from './protos.js';
import type { ServiceBinding } from './server.js';
import type { AnyMessage, OperationMessage, ServiceMessage } from './cloud-run-types.js';

interface Entry {
  operation: OperationMessage;
  settled: Promise<void>;
  settle: () => void;
}

/** The longest a WaitOperation call blocks when the request sets no timeout. */
const DEFAULT_WAIT_MS = 60_000;

/**
 * Cloud Run's long-running operations. Each carries the Service as `metadata` (packed Any, as the real
 * API does) and, once done, the Service as `response`; a done operation always has a response, since
 * the client turns a done operation without one into `{}`.
 */
export class OperationStore {
  private readonly operations = new Map<string, Entry>();

  /** A pending operation under `projects/P/locations/L`; `metadata` is the Service as written. */
  start(location: string, metadata: ServiceMessage): OperationMessage {
    return this.startPacked(location, packService(metadata));
  }

  /** A pending operation whose `metadata` is already packed (a Revision, for DeleteRevision). */
  startPacked(location: string, metadata: AnyMessage): OperationMessage {
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const operation: OperationMessage = {
      name: `${location}/operations/${randomUUID()}`,
      metadata,
      done: false,
    };
    this.operations.set(operation.name, { operation, settled, settle });
    return operation;
  }

  /** Marks the operation done with the Service as its response. */
  complete(name: string, response: ServiceMessage): void {
    this.completePacked(name, packService(response));
  }

  /** Marks the operation done with an already packed response. */
  completePacked(name: string, packed: AnyMessage): void {
    const entry = this.operations.get(name);
    if (!entry || entry.operation.done) return;
    entry.operation.done = true;
    entry.operation.metadata = packed;
    entry.operation.response = packed;
    entry.settle();
  }

  /** Marks the operation done with an error status (the client rejects `op.promise()` with it). */
  fail(name: string, code: grpc.status, message: string): void {
    const entry = this.operations.get(name);
    if (!entry || entry.operation.done) return;
    entry.operation.done = true;
    entry.operation.error = { code, message };
    entry.settle();
  }

  get(name: string | undefined): OperationMessage {
    const entry = this.operations.get(name ?? '');
    if (!entry) throw new RpcError(grpc.status.NOT_FOUND, `operation ${name ?? ''} not found`);
    return entry.operation;
  }

  /** Resolves when the operation is done or `timeoutMs` has passed, with its state then. */
  async wait(name: string | undefined, timeoutMs: number): Promise<OperationMessage> {
    const entry = this.operations.get(name ?? '');
    if (!entry) throw new RpcError(grpc.status.NOT_FOUND, `operation ${name ?? ''} not found`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      entry.settled,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return entry.operation;
  }

  /** Resolves once every operation started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.operations.values()].map((entry) => entry.settled));
  }
}

const PACKAGE = loadProto('gax', 'google/longrunning/operations.proto');

/** `google.longrunning.Operations` (GetOperation, WaitOperation, DeleteOperation) over the store. */
export function operationsService(ctx: EmulatorContext, store: OperationStore): ServiceBinding {
  const method = (name: string): string => `google.longrunning.Operations/${name}`;
  const implementation: grpc.UntypedServiceImplementation = {
    GetOperation: unary(ctx, method('GetOperation'), (request: { name?: string }) =>
      store.get(request.name),
    ),
    WaitOperation: unary(
      ctx,
      method('WaitOperation'),
      (request: { name?: string; timeout?: { seconds?: string; nanos?: number } }) => {
        const requested = request.timeout
          ? Number(request.timeout.seconds ?? 0) * 1000 + (request.timeout.nanos ?? 0) / 1e6
          : 0;
        return store.wait(
          request.name,
          requested > 0 ? Math.min(requested, DEFAULT_WAIT_MS) : DEFAULT_WAIT_MS,
        );
      },
    ),
    DeleteOperation: unary(ctx, method('DeleteOperation'), (request: { name?: string }) => {
      store.get(request.name);
      return {};
    }),
  };
  return {
    definition: serviceDefinition(PACKAGE, 'google.longrunning.Operations'),
    implementation,
  };
}
