/** Read access to the colors' inference-log buckets (batch objects of JSON Lines). */
export interface InferenceLogStore {
  /** Names under `prefix` that sort at or after `startOffset`, ascending (all pages). */
  list(bucket: string, prefix: string, startOffset: string): Promise<string[]>;
  /** One batch object's text. */
  read(bucket: string, name: string): Promise<string>;
}
