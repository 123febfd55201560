import { z } from 'zod';

/** One element of an instant vector: its labels and its value (a float as Prometheus sends it). */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Extra request headers per call (a bearer token, a Google access token); may refresh. */
export type HeaderSource = () => Promise<Record<string, string>>;

const Success = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()).default({}),
        value: z.tuple([z.number(), z.string()]),
      }),
    ),
  }),
  warnings: z.array(z.string()).optional(),
});
const Failure = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });

/** A PromQL query that failed: names the query, the server, and why (HTTP, PromQL or shape). */
export class PrometheusQueryError extends Error {
  constructor(
    readonly query: string,
    readonly endpoint: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Prometheus query failed at ${endpoint}: ${reason}. Query: ${query}`, options);
    this.name = 'PrometheusQueryError';
  }
}

/**
 * The Prometheus HTTP API's instant query (`GET {baseUrl}/api/v1/query?query=…&time=…`), as any
 * Prometheus and Google Cloud Managed Service for Prometheus
 * (`https://monitoring.googleapis.com/v1/projects/P/location/global/prometheus`) serve it. Uses
 * Node's fetch (undici). Only instant vectors are accepted: the queries cutover runs aggregate.
 */
export class PrometheusApi {
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly headers: HeaderSource = async () => ({}),
    private readonly timeoutMs = 10_000,
  ) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/api/v1/query`;
  }

  async query(promql: string, time: Date): Promise<Sample[]> {
    const url = new URL(this.endpoint);
    url.searchParams.set('query', promql);
    url.searchParams.set('time', (time.getTime() / 1000).toFixed(3));
    const fail = (reason: string, cause?: unknown) =>
      new PrometheusQueryError(promql, this.endpoint, reason, cause ? { cause } : undefined);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(await this.headers()) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw fail(`cannot reach the server (${(cause as Error).message})`, cause);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw fail(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    const failure = Failure.safeParse(body);
    if (failure.success)
      throw fail(`HTTP ${response.status} ${failure.data.errorType}: ${failure.data.error}`);
    if (!response.ok) throw fail(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    const ok = Success.safeParse(body);
    if (!ok.success) throw fail(`the answer is not a Prometheus query result: ${ok.error.message}`);
    if (ok.data.data.resultType !== 'vector')
      throw fail(`expected an instant vector, got a ${ok.data.data.resultType}`);
    return ok.data.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }
}
