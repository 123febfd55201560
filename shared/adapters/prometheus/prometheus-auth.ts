import type { HeaderSource } from './prometheus-api.js';

export type PrometheusAuth =
  | { kind: 'none' }
  /** A static bearer token (e.g. from a secret mounted as an env var). */
  | { kind: 'bearer'; token: string }
  /** Google ADC: the access token of the runtime service account (Managed Service for Prometheus). */
  | { kind: 'google' };

/** Request headers for `auth`; Google tokens come from google-auth-library and refresh themselves. */
export function headersFor(auth: PrometheusAuth): HeaderSource {
  switch (auth.kind) {
    case 'none':
      return async () => ({});
    case 'bearer':
      return async () => ({ authorization: `Bearer ${auth.token}` });
    case 'google': {
      let client: Promise<{ getRequestHeaders(): Promise<unknown> }> | null = null;
      return async () => {
        client ??= import('google-auth-library').then(({ GoogleAuth }) =>
          new GoogleAuth({
            scopes: ['https://www.googleapis.com/auth/monitoring.read'],
          }).getClient(),
        );
        const headers = await (await client).getRequestHeaders();
        // google-auth-library 10 answers a Headers object; older versions a plain record.
        const out: Record<string, string> = {};
        if (headers instanceof Headers) headers.forEach((v, k) => (out[k] = v));
        else Object.assign(out, headers);
        return out;
      };
    }
    default: {
      const unknown: never = auth;
      throw new Error(`unknown Prometheus auth ${JSON.stringify(unknown)}`);
    }
  }
}
