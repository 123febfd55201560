/**
 * Names JSON that cutover meets but never receives as an inbound payload (API resources and
 * requests), so `cutover explain` can say what the file is instead of only what it is not.
 */
export function describeNotInbound(input: unknown): string {
  if (typeof input !== 'object' || input === null)
    return `a JSON ${input === null ? 'null' : typeof input}`;
  if (Array.isArray(input)) return 'a JSON array';
  const o = input as Record<string, unknown>;
  const name = typeof o.name === 'string' ? o.name : '';
  if (o.kind === 'Service' && 'spec' in o) return 'a Cloud Run v1 (Knative) Service resource';
  if (name.includes('/operations/')) return 'a long-running operation';
  if (name.includes('/services/') || ('template' in o && 'traffic' in o))
    return 'a Cloud Run v2 Service resource or update body';
  if ('traffic' in o) return 'a Cloud Run traffic spec';
  if (name.includes('/tags/') && 'version' in o) return 'an Artifact Registry Tag resource';
  if ('timeSeries' in o) return 'a Cloud Monitoring ListTimeSeries response';
  const keys = Object.keys(o);
  if (keys.length && keys.every((k) => k.includes('/') && typeof o[k] === 'string'))
    return 'a map of annotations';
  const shown = keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', …' : '');
  return `an object with keys ${shown || '(none)'}`;
}
