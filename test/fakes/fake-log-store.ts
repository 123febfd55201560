import type { InferenceLogStore } from '../../shared/ports/inference-log-store.js';

/** Buckets of batch objects in memory; names list ascending, as Cloud Storage lists them. */
export class FakeLogStore implements InferenceLogStore {
  readonly buckets = new Map<string, Map<string, string>>();
  /** Every call, for assertions (`list bucket` / `read bucket/name`). */
  readonly calls: string[] = [];

  put(bucket: string, name: string, text: string): void {
    const objects = this.buckets.get(bucket) ?? new Map<string, string>();
    objects.set(name, text);
    this.buckets.set(bucket, objects);
  }

  list(bucket: string, prefix: string, startOffset: string): Promise<string[]> {
    this.calls.push(`list ${bucket}`);
    const names = [...(this.buckets.get(bucket)?.keys() ?? [])]
      .filter((n) => n.startsWith(prefix) && n >= startOffset)
      .sort();
    return Promise.resolve(names);
  }

  read(bucket: string, name: string): Promise<string> {
    this.calls.push(`read ${bucket}/${name}`);
    const text = this.buckets.get(bucket)?.get(name);
    return text === undefined
      ? Promise.reject(new Error(`no object ${bucket}/${name}`))
      : Promise.resolve(text);
  }
}
