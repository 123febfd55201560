import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import type { Series } from './monitoring-types.js';

/** One `field = "value"` clause of a Monitoring filter. */
export type Clause =
  | { field: 'metric.type' | 'resource.type'; value: string }
  | { field: 'metric.label' | 'resource.label'; label: string; value: string };

/**
 * The subset of the Monitoring filter language a release controller uses: clauses
 * `metric.type = "…"`, `resource.type = "…"`, `resource.labels.K = "…"` (or `resource.label.K`),
 * `metric.labels.K = "…"` (or `metric.label.K`), joined by `AND` (any case), spaces around `=`
 * optional. Anything else is INVALID_ARGUMENT naming the text that could not be parsed.
 * Like the real API, exactly one `metric.type` is required.
 */
export function parseFilter(filter: string): Clause[] {
  const clause =
    /^\s*(metric\.type|resource\.type|(metric|resource)\.labels?\.([A-Za-z_][A-Za-z0-9_]*))\s*=\s*"((?:[^"\\]|\\.)*)"\s*/;
  const clauses: Clause[] = [];
  let rest = filter;
  for (;;) {
    const match = clause.exec(rest);
    if (!match) throw invalid(`cannot parse the filter at: '${rest.trim() || '(end of filter)'}'`);
    const [whole, field, scope, label, raw] = match;
    const value = (raw ?? '').replace(/\\(.)/g, '$1');
    if (field === 'metric.type' || field === 'resource.type') clauses.push({ field, value });
    else
      clauses.push({
        field: scope === 'metric' ? 'metric.label' : 'resource.label',
        label: label ?? '',
        value,
      });
    rest = rest.slice(whole.length);
    if (rest.trim() === '') break;
    const and = /^AND\s+/i.exec(rest);
    if (!and) throw invalid(`expected AND before: '${rest.trim()}'`);
    rest = rest.slice(and[0].length);
  }
  const types = clauses.filter((c) => c.field === 'metric.type');
  if (types.length !== 1) throw invalid('the filter must name exactly one metric.type');
  return clauses;
}

export function matches(clauses: Clause[], series: Series): boolean {
  return clauses.every((c) => {
    switch (c.field) {
      case 'metric.type':
        return series.metric.type === c.value;
      case 'resource.type':
        return series.resource.type === c.value;
      case 'metric.label':
        return series.metric.labels[c.label] === c.value;
      case 'resource.label':
        return series.resource.labels[c.label] === c.value;
      default: {
        const never: never = c;
        return never;
      }
    }
  });
}

function invalid(message: string): RpcError {
  return new RpcError(grpc.status.INVALID_ARGUMENT, message);
}
