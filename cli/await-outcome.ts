import type { ServiceRecord } from '../shared/schemas/release.js';
import type { Pacer } from './pacer.js';

/** What the record says about the release, compared before and after an action. */
function fingerprint(record: ServiceRecord | null): string {
  if (!record) return 'none';
  const r = record.release;
  return JSON.stringify([
    record.stable.revision,
    r?.id,
    r?.phase,
    r && 'paused' in r ? r.paused : null,
    record.actions?.[0]?.at,
  ]);
}

export type Awaited =
  | { kind: 'changed'; record: ServiceRecord | null; afterMs: number }
  | { kind: 'timeout'; record: ServiceRecord | null; afterMs: number };

/**
 * Reads the record every `intervalMs` until it differs from `before` in what an operator action
 * changes (stable, release, phase, pause, the newest recorded action), or `timeoutMs` passes.
 */
export async function awaitChange(
  read: () => Promise<ServiceRecord | null>,
  before: ServiceRecord | null,
  pacer: Pacer,
  { timeoutMs, intervalMs = 1000 }: { timeoutMs: number; intervalMs?: number },
): Promise<Awaited> {
  const start = pacer.now().getTime();
  const was = fingerprint(before);
  for (;;) {
    const record = await read();
    const afterMs = pacer.now().getTime() - start;
    if (fingerprint(record) !== was) return { kind: 'changed', record, afterMs };
    if (afterMs >= timeoutMs) return { kind: 'timeout', record, afterMs };
    await pacer.sleep(Math.min(intervalMs, timeoutMs - afterMs));
  }
}

export type ContainerOutcome =
  { kind: 'serving' } | { kind: 'failed'; reason: string } | { kind: 'timeout' };

/**
 * After a container rollback landed in the record (its release names the revision it deployed),
 * reads the service until that revision serves, or the record says it did not start and the
 * stable was put back (shared/domain/release-container.ts). `timeoutMs` counts from `startMs`.
 */
export async function awaitContainerRollback(
  read: () => Promise<{
    record: ServiceRecord | null;
    traffic: { revision: string; percent: number }[];
  }>,
  pacer: Pacer,
  {
    timeoutMs,
    startMs,
    intervalMs = 1000,
  }: { timeoutMs: number; startMs: number; intervalMs?: number },
): Promise<ContainerOutcome> {
  for (;;) {
    const view = await read();
    const r = view.record?.release;
    const container = r?.phase === 'rolled-back' ? r.container : undefined;
    if (!container) return { kind: 'serving' }; // a function that does not record it: as before
    if (container.failed !== null) return { kind: 'failed', reason: container.failed };
    if (view.traffic.some((t) => t.revision === container.revision && t.percent > 0))
      return { kind: 'serving' };
    const afterMs = pacer.now().getTime() - startMs;
    if (afterMs >= timeoutMs) return { kind: 'timeout' };
    await pacer.sleep(Math.min(intervalMs, timeoutMs - afterMs));
  }
}
