import type { StorageStore } from '../emulator/storage-store.js';

/** Lines (logged requests) in a bucket's objects under `prefix`, counted by newline. */
export function loggedLines(storage: StorageStore, bucket: string, prefix: string): number {
  if (!storage.hasBucket(bucket)) return 0;
  let lines = 0;
  let pageToken: string | undefined;
  do {
    const page = storage.list(bucket, { prefix, ...(pageToken ? { pageToken } : {}) });
    for (const item of page.items) for (const byte of item.data) if (byte === 0x0a) lines++;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return lines;
}

/**
 * Waits until the stable's bucket holds `needed` logged requests, so a scenario that expects the
 * shadow replay to judge is not pushed before there is anything to replay (on a loaded machine the
 * model's first batches can land seconds after the stack is up). Rejects after `timeoutMs`.
 */
export async function logsReady(
  storage: StorageStore,
  where: { bucket: string; prefix: string; needed: number },
  wait: (ms: number) => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  for (let waited = 0; ; waited += 200) {
    if (loggedLines(storage, where.bucket, where.prefix) >= where.needed) return;
    if (waited >= timeoutMs)
      throw new Error(
        `blue logged fewer than ${where.needed} requests to gs://${where.bucket} in ${timeoutMs / 1000} s: is the model writing its inference logs?`,
      );
    await wait(200);
  }
}
