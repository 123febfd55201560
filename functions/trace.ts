/**
 * The Cloud Logging trace field (`projects/P/traces/ID`) for a request, from the
 * `X-Cloud-Trace-Context` header (`ID/SPAN;o=1`) or a W3C `traceparent` (`00-ID-SPAN-01`, also a
 * CloudEvent extension). Undefined when neither is present or the project is unknown.
 */
export function traceField(
  cloudTraceContext: unknown,
  traceparent: unknown,
  project = process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT,
): { trace: string } | Record<string, never> {
  const fromCloud =
    typeof cloudTraceContext === 'string'
      ? /^([0-9a-f]{32})\//i.exec(cloudTraceContext)?.[1]
      : undefined;
  const fromW3c =
    typeof traceparent === 'string'
      ? /^[0-9a-f]{2}-([0-9a-f]{32})-/i.exec(traceparent)?.[1]
      : undefined;
  const id = fromCloud ?? fromW3c;
  return id && project ? { trace: `projects/${project}/traces/${id.toLowerCase()}` } : {};
}
