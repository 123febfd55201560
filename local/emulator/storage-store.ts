import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import type { Clock } from '../../shared/ports/clock.js';

/** A stored object: its bytes and the metadata the JSON API's object resource reports. */
export interface StoredObject {
  name: string;
  data: Buffer;
  contentType: string;
  generation: number;
  created: string;
}

/** The persisted form: object bytes in base64, one section per bucket. */
export interface StorageStateDocument {
  buckets: Record<
    string,
    { created: string; objects: Array<Omit<StoredObject, 'data'> & { data: string }> }
  >;
}

/** One page of an object listing (names ascending, as the JSON API lists them). */
export interface ObjectPage {
  items: StoredObject[];
  nextPageToken: string | null;
}

export interface ListQuery {
  prefix?: string;
  startOffset?: string;
  endOffset?: string;
  maxResults?: number;
  pageToken?: string;
}

/** Thrown for requests the JSON API refuses; `status` and `reason` are the API's. */
export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON API's default and largest page (objects.list: "this parameter or 1,000 items, whichever is smaller"). */
const MAX_PAGE = 1000;

/**
 * Buckets and their objects. Buckets must exist before objects are written to them (as in Cloud
 * Storage: an upload to a missing bucket is 404). `ifGenerationMatch: 0` writes only when the
 * object does not exist yet (412 otherwise). `onChange` runs after every write, for the state file.
 */
export class StorageStore {
  private readonly buckets = new Map<
    string,
    { created: string; objects: Map<string, StoredObject> }
  >();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void = () => {},
  ) {}

  createBucket(name: string): void {
    if (this.buckets.has(name))
      throw new StorageError(409, 'conflict', `The bucket ${name} already exists.`);
    this.buckets.set(name, { created: this.clock.now().toISOString(), objects: new Map() });
    this.onChange();
  }

  /** Creates the bucket unless it exists (for stacks that declare their buckets up front). */
  ensureBucket(name: string): void {
    if (!this.buckets.has(name)) this.createBucket(name);
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  bucketCreated(name: string): string {
    return this.bucket(name).created;
  }

  insert(
    bucket: string,
    name: string,
    data: Buffer,
    contentType: string,
    ifGenerationMatch?: number,
  ): StoredObject {
    const objects = this.bucket(bucket).objects;
    const existing = objects.get(name);
    if (ifGenerationMatch !== undefined && (existing?.generation ?? 0) !== ifGenerationMatch) {
      throw new StorageError(
        412,
        'conditionNotMet',
        'At least one of the pre-conditions you specified did not hold.',
      );
    }
    const stored: StoredObject = {
      name,
      data: Buffer.from(data),
      contentType,
      generation: Math.max(this.clock.now().getTime() * 1000, this.generation + 1),
      created: this.clock.now().toISOString(),
    };
    this.generation = stored.generation;
    objects.set(name, stored);
    this.onChange();
    return stored;
  }

  get(bucket: string, name: string): StoredObject {
    const found = this.bucket(bucket).objects.get(name);
    if (!found) throw new StorageError(404, 'notFound', `No such object: ${bucket}/${name}`);
    return found;
  }

  /** Lists by name, ascending; the page token is opaque (the last name returned, base64url). */
  list(bucket: string, query: ListQuery = {}): ObjectPage {
    const size = Math.min(query.maxResults || MAX_PAGE, MAX_PAGE);
    let after: string | null = null;
    if (query.pageToken) {
      after = Buffer.from(query.pageToken, 'base64url').toString('utf8');
      if (!after.startsWith('after:'))
        throw new StorageError(400, 'invalid', `Invalid pageToken ${query.pageToken}`);
      after = after.slice('after:'.length);
    }
    const names = [...this.bucket(bucket).objects.keys()]
      .filter((n) => n.startsWith(query.prefix ?? ''))
      .filter((n) => query.startOffset === undefined || n >= query.startOffset)
      .filter((n) => query.endOffset === undefined || n < query.endOffset)
      .filter((n) => after === null || n > after)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = names.slice(0, size);
    const last = page.at(-1);
    return {
      items: page.map((n) => this.get(bucket, n)),
      nextPageToken:
        names.length > size && last !== undefined
          ? Buffer.from(`after:${last}`).toString('base64url')
          : null,
    };
  }

  exportState(): StorageStateDocument {
    return {
      buckets: Object.fromEntries(
        [...this.buckets].map(([name, b]) => [
          name,
          {
            created: b.created,
            objects: [...b.objects.values()].map((o) => ({
              ...o,
              data: o.data.toString('base64'),
            })),
          },
        ]),
      ),
    };
  }

  importState(document: StorageStateDocument): void {
    this.buckets.clear();
    for (const [name, b] of Object.entries(document.buckets ?? {})) {
      const objects = new Map(
        b.objects.map((o) => [o.name, { ...o, data: Buffer.from(o.data, 'base64') }]),
      );
      for (const o of objects.values()) this.generation = Math.max(this.generation, o.generation);
      this.buckets.set(name, { created: b.created, objects });
    }
  }

  private bucket(name: string) {
    const found = this.buckets.get(name);
    if (!found) throw new StorageError(404, 'notFound', 'The specified bucket does not exist.');
    return found;
  }
}

/** The JSON API's object resource (`storage#object`); int64 fields are strings, hashes base64. */
export function objectResource(bucket: string, o: StoredObject): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${o.name}/${o.generation}`,
    name: o.name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: o.contentType,
    size: String(o.data.length),
    md5Hash: md5Of(o.data),
    crc32c: crc32cOf(o.data),
    timeCreated: o.created,
    updated: o.created,
    storageClass: 'STANDARD',
  };
}

export const md5Of = (data: Buffer): string => createHash('md5').update(data).digest('base64');

export function crc32cOf(data: Buffer): string {
  const crc = new CRC32C();
  crc.update(data);
  return crc.toString();
}
