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
