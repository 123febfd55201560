import { Storage } from '@google-cloud/storage';
import type { BatchSink } from './inference-log.js';

/**
 * Batches into a Cloud Storage bucket with @google-cloud/storage. The client finds a local
 * emulator through STORAGE_EMULATOR_HOST itself. Each batch is one simple (multipart) upload —
 * the client's own advice for small files — guarded by `ifGenerationMatch: 0`, so a retry of a
 * write whose answer was lost cannot store the batch twice: its 412 means "already there".
 * The client's own retries are off: InferenceLog retries on its next flush instead, so a slow
 * store never holds batches back for long.
 */
export function gcsSink(
  bucket: string,
  storage = new Storage({ retryOptions: { autoRetry: false } }),
): BatchSink {
  const target = storage.bucket(bucket);
  return {
    async write(name, text) {
      try {
        await target.file(name).save(text, {
          resumable: false,
          contentType: 'application/x-ndjson',
          preconditionOpts: { ifGenerationMatch: 0 },
          timeout: 10_000,
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === 412) return;
        throw error;
      }
    },
  };
}
