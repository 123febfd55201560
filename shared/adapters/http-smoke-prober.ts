import type { ProbeResult, SmokeProber } from '../ports/smoke-prober.js';
import type { SmokeRoute } from '../schemas/config.js';

/** Returns a Google ID token for an audience (the URL's origin). */
export type IdTokenSource = (audience: string) => Promise<string>;

export interface HttpSmokeProberOptions {
  /** Where ID tokens come from when a probe authenticates; defaults to google-auth-library ADC. */
  idToken?: IdTokenSource;
}

/**
 * ID tokens through google-auth-library: one IdTokenClient per audience, created on first use
 * (the library is loaded only then) and kept, so its token cache is reused.
 */
export function googleIdTokenSource(): IdTokenSource {
  const clients = new Map<string, Promise<{ getRequestHeaders(): Promise<Headers> }>>();
  return async (audience) => {
    let client = clients.get(audience);
    if (!client) {
      client = import('google-auth-library').then(({ GoogleAuth }) =>
        new GoogleAuth().getIdTokenClient(audience),
      );
      clients.set(audience, client);
      client.catch(() => clients.delete(audience));
    }
    const header = (await (await client).getRequestHeaders()).get('authorization') ?? '';
    return header.replace(/^Bearer /i, '');
  };
}

/**
 * SmokeProber with Node's fetch. Never throws: a refused connection, a timeout or a failed token
 * fetch is reported in `error` with `status: null`. `json` is the parsed body when it is JSON.
 */
export class HttpSmokeProber implements SmokeProber {
  private readonly idToken: IdTokenSource;

  constructor(options: HttpSmokeProberOptions = {}) {
    this.idToken = options.idToken ?? googleIdTokenSource();
  }

  async probe(
    baseUrl: string,
    route: SmokeRoute,
    options: { authenticate: boolean; timeoutMs: number },
  ): Promise<ProbeResult> {
    // Joined, not resolved: a base with a path (`https://DOMAIN/api/v2`) keeps it.
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}${route.path}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    const hasBody = route.body !== undefined && route.method !== 'GET' && route.method !== 'HEAD';
    if (hasBody) headers['content-type'] = 'application/json';
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    try {
      if (options.authenticate) headers.authorization = `Bearer ${await this.idToken(url.origin)}`;
      const response = await fetch(url, {
        method: route.method,
        headers,
        body: hasBody ? JSON.stringify(route.body) : null,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, latencyMs: elapsed(), json: parseJson(text), error: null };
    } catch (error) {
      return {
        status: null,
        latencyMs: elapsed(),
        json: null,
        error: describe(error, options.timeoutMs),
      };
    }
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'request failed'} (${cause})` : (e.message ?? String(error));
}
