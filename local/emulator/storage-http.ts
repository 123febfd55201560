import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  crc32cOf,
  md5Of,
  objectResource,
  StorageError,
  type StorageStore,
} from './storage-store.js';

/** A method of the JSON API the emulator serves, for fault injection. */
export type StorageMethod = 'objects.insert' | 'objects.list' | 'objects.get';

/**
 * The Cloud Storage JSON API subset @google-cloud/storage uses for inference logs, over HTTP on
 * loopback. Paths come with or without `/storage/v1`: with `STORAGE_EMULATOR_HOST` set the client
 * uses that value itself as its base URL (objects at `HOST/b/…`) but still uploads to
 * `HOST/upload/storage/v1/b/…`; with `apiEndpoint` it uses `HOST/storage/v1/b/…`.
 * - POST upload/storage/v1/b/B/o?uploadType=multipart|media&name=N[&ifGenerationMatch=G]
 * - GET  b/B/o?prefix&startOffset&endOffset&maxResults&pageToken  → storage#objects
 * - GET  b/B/o/N → storage#object; with alt=media the bytes (x-goog-hash crc32c and md5)
 * - GET  b/B, POST b?project=P {name}
 * Resumable uploads are not served (400 naming `resumable: false`); errors use the API's
 * `{error: {code, message, errors: [{reason}]}}` body.
 */
export class StorageHttp {
  private server: Server | null = null;
  private readonly faults = new Map<StorageMethod, Array<{ status: number; times: number }>>();

  constructor(private readonly store: StorageStore) {}

  /** Fails the next `times` calls of `method` with `status` (503 by default). */
  failNext(method: StorageMethod, times = 1, status = 503): void {
    const list = this.faults.get(method) ?? [];
    list.push({ status, times });
    this.faults.set(method, list);
  }

  /** Binds 127.0.0.1 (0 = any free port) and resolves with `http://127.0.0.1:PORT`. */
  listen(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (error instanceof StorageError) return sendError(res, error);
        sendError(res, new StorageError(500, 'backendError', String(error)));
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      );
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private fault(method: StorageMethod): void {
    const list = this.faults.get(method);
    const next = list?.[0];
    if (!list || !next) return;
    next.times -= 1;
    if (next.times <= 0) list.shift();
    throw new StorageError(next.status, 'backendError', `injected ${next.status} on ${method}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storage.local');
    const q = url.searchParams;
    const upload = url.pathname.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/);
    if (upload && req.method === 'POST') {
      this.fault('objects.insert');
      return this.insert(req, res, decodeURIComponent(upload[1]!), q);
    }
    const path = url.pathname.replace(/^\/(download\/)?storage\/v1(?=\/)/, '');
    const object = path.match(/^\/b\/([^/]+)\/o\/(.+)$/);
    if (object && req.method === 'GET') {
      this.fault('objects.get');
      const bucket = decodeURIComponent(object[1]!);
      const stored = this.store.get(bucket, decodeURIComponent(object[2]!));
      if (q.get('alt') !== 'media') return sendJson(res, 200, objectResource(bucket, stored));
      res.writeHead(200, {
        'content-type': stored.contentType,
        'content-length': stored.data.length,
        'x-goog-hash': `crc32c=${crc32cOf(stored.data)},md5=${md5Of(stored.data)}`,
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-generation': String(stored.generation),
      });
      return void res.end(stored.data);
    }
    const list = path.match(/^\/b\/([^/]+)\/o$/);
    if (list && req.method === 'GET') {
      this.fault('objects.list');
      const bucket = decodeURIComponent(list[1]!);
      const maxResults = q.get('maxResults');
      const page = this.store.list(bucket, {
        ...optional('prefix', q.get('prefix')),
        ...optional('startOffset', q.get('startOffset')),
        ...optional('endOffset', q.get('endOffset')),
        ...optional('pageToken', q.get('pageToken')),
        ...(maxResults ? { maxResults: Number(maxResults) } : {}),
      });
      return sendJson(res, 200, {
        kind: 'storage#objects',
        items: page.items.map((o) => objectResource(bucket, o)),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      });
    }
    const bucket = path.match(/^\/b\/([^/]+)$/);
    if (bucket && req.method === 'GET') {
      const name = decodeURIComponent(bucket[1]!);
      const created = this.store.bucketCreated(name);
      return sendJson(res, 200, { kind: 'storage#bucket', id: name, name, timeCreated: created });
    }
    if (path === '/b' && req.method === 'POST') {
      const body = JSON.parse((await readAll(req)).toString('utf8') || '{}') as { name?: string };
      if (!body.name) throw new StorageError(400, 'required', 'Required: bucket name');
      this.store.createBucket(body.name);
      return sendJson(res, 200, { kind: 'storage#bucket', id: body.name, name: body.name });
    }
    throw new StorageError(404, 'notFound', `Not Found: ${req.method} ${url.pathname}`);
  }

  private async insert(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    q: URLSearchParams,
  ): Promise<void> {
    const uploadType = q.get('uploadType');
    const body = await readAll(req);
    let name = q.get('name');
    let data = body;
    let contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (uploadType === 'multipart') {
      const parts = multipart(body, req.headers['content-type'] ?? '');
      const metadata = JSON.parse(parts[0]?.body.toString('utf8') ?? '{}') as {
        name?: string;
        contentType?: string;
      };
      name = name ?? metadata.name ?? null;
      data = parts[1]?.body ?? Buffer.alloc(0);
      contentType = metadata.contentType ?? parts[1]?.contentType ?? 'application/octet-stream';
    } else if (uploadType !== 'media') {
      throw new StorageError(
        400,
        'invalid',
        `uploadType ${uploadType ?? '(none)'} is not served by the emulator; save with resumable: false`,
      );
    }
    if (!name) throw new StorageError(400, 'required', 'Required: object name');
    const match = q.get('ifGenerationMatch');
    const stored = this.store.insert(
      bucket,
      name,
      data,
      contentType,
      match === null ? undefined : Number(match),
    );
    sendJson(res, 200, objectResource(bucket, stored));
  }
}

const optional = <K extends string>(key: K, value: string | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, string>>;

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The parts of a `multipart/related` body (RFC 2387), as the JSON API's multipart upload sends them. */
export function multipart(
  body: Buffer,
  contentType: string,
): Array<{ contentType: string | null; body: Buffer }> {
  const boundary = contentType.match(/boundary="?([^";]+)"?/)?.[1];
  if (!boundary) throw new StorageError(400, 'invalid', 'multipart upload without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ contentType: string | null; body: Buffer }> = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    let content = part.subarray(split + 4);
    if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
    parts.push({
      contentType: head.match(/content-type:\s*([^\r\n]+)/i)?.[1] ?? null,
      body: content,
    });
    at = next;
  }
  return parts;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: StorageError): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, error.status, {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, domain: 'global', reason: error.reason }],
    },
  });
}
