import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../shared/ports/clock.js';

/** An error or a delay injected into the next `times` calls of one RPC method. */
export interface Fault {
  /** gRPC status code to fail with; omit for a delay only. */
  code?: grpc.status;
  message?: string;
  delayMs?: number;
  /**
   * The call waits until this settles before it is carried out: a test orders concurrent callers
   * (two writers' re-reads after both writes) without depending on timing.
   */
  hold?: Promise<unknown>;
  /** Called when a call takes this fault (before its delay or hold): the test knows it is waiting. */
  arrived?: () => void;
  times: number;
  /**
   * `after`: the call is carried out (a write lands) and then answered with `code`, as when a
   * server commits and the answer is lost (UNAVAILABLE, DEADLINE_EXCEEDED). Default `before`:
   * the call fails without effect.
   */
  when?: 'before' | 'after';
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
    await Faults.before(this.take(method));
  }

  /** Consumes one use of the next fault injected for `method`, if any. */
  take(method: string): Fault | null {
    const list = this.pending.get(method);
    const fault = list?.[0];
    if (!list || !fault) return null;
    fault.times -= 1;
    if (fault.times <= 0) list.shift();
    return { ...fault };
  }

  /** The part of a fault that acts before the call: its delay, and its error unless `after`. */
  static async before(fault: Fault | null): Promise<void> {
    if (!fault) return;
    fault.arrived?.();
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.hold) await fault.hold;
    if (fault.when !== 'after') Faults.fail(fault);
  }

  /** The part that acts after the call: an `after` fault answers with its error. */
  static after(fault: Fault | null): void {
    if (fault?.when === 'after') Faults.fail(fault);
  }

  private static fail(fault: Fault): void {
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
        const fault = ctx.faults.take(method);
        await Faults.before(fault);
        const response = await handler(call.request, call.metadata);
        Faults.after(fault);
        callback(null, response);
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
