import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../shared/ports/clock.js';

/** An error or a delay injected into the next `times` calls of one RPC method. */
export interface Fault {
  /** gRPC status code to fail with; omit for a delay only. */
  code?: grpc.status;
  message?: string;
  delayMs?: number;
  times: number;
}

/** A gRPC error as the client libraries receive it from a real server. */
export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Faults on demand, keyed by full method name (`google.cloud.run.v2.Services/UpdateService`).
 * Each injected fault is consumed by one call.
 */
export class Faults {
  private readonly pending = new Map<string, Fault[]>();

  inject(method: string, fault: Fault): void {
    const list = this.pending.get(method) ?? [];
    list.push({ ...fault });
    this.pending.set(method, list);
  }

  clear(): void {
    this.pending.clear();
  }

  /** Called at the start of every emulated RPC: waits and/or throws as injected. */
  async apply(method: string): Promise<void> {
    const list = this.pending.get(method);
    const fault = list?.[0];
    if (!list || !fault) return;
    fault.times -= 1;
    if (fault.times <= 0) list.shift();
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.code !== undefined)
      throw new RpcError(fault.code, fault.message ?? `injected ${grpc.status[fault.code]}`);
  }
}

/** What every emulated API gets: the clock for timestamps and the fault registry. */
export interface EmulatorContext {
  clock: Clock;
  faults: Faults;
}

type UnaryHandler<Req, Res> = (request: Req, metadata: grpc.Metadata) => Promise<Res> | Res;

/**
 * Wraps an async handler as a grpc-js unary handler: applies injected faults for `method`, and turns
 * an RpcError into its status (anything else becomes INTERNAL with the message).
 */
export function unary<Req, Res>(
  ctx: EmulatorContext,
  method: string,
  handler: UnaryHandler<Req, Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    void (async () => {
      try {
        await ctx.faults.apply(method);
        callback(null, await handler(call.request, call.metadata));
      } catch (error) {
        const code = error instanceof RpcError ? error.code : grpc.status.INTERNAL;
        callback(
          {
            code,
            details: (error as Error).message,
            metadata: new grpc.Metadata(),
          } as grpc.ServiceError,
          null,
        );
      }
    })();
  };
}
