import type { Storage } from '@google-cloud/storage';
import type { InferenceLogStore } from '../../ports/inference-log-store.js';
import { PermanentError, TransientError } from '../../errors.js';

/**
 * InferenceLogStore on @google-cloud/storage: objects.list with prefix and startOffset (the
 * client follows nextPageToken), objects.get with alt=media. A missing bucket is permanent
 * (the color's env names a bucket that does not exist); 429 and 5xx are transient.
 */
export class StorageLogStore implements InferenceLogStore {
  constructor(private readonly storage: Storage) {}

  async list(bucket: string, prefix: string, startOffset: string): Promise<string[]> {
    try {
      const [files] = await this.storage.bucket(bucket).getFiles({ prefix, startOffset });
      return files.map((f) => f.name);
    } catch (error) {
      throw mapped(error, `list ${prefix}* in gs://${bucket}`);
    }
  }

  async read(bucket: string, name: string): Promise<string> {
    try {
      const [bytes] = await this.storage.bucket(bucket).file(name).download();
      return bytes.toString('utf8');
    } catch (error) {
      throw mapped(error, `read gs://${bucket}/${name}`);
    }
  }
}

function mapped(error: unknown, what: string): Error {
  const code = (error as { code?: unknown }).code;
  const status = typeof code === 'number' ? `HTTP ${code}` : String(code ?? 'no status');
  const detail = error instanceof Error ? error.message : String(error);
  return typeof code === 'number' && (code === 429 || code >= 500)
    ? new TransientError(what, status, { cause: error })
    : new PermanentError(what, status, detail, { cause: error });
}
