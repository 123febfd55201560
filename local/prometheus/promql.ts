import { isDist, type Series } from '../emulator/monitoring-types.js';

/**
 * The PromQL subset cutover's Prometheus source runs, evaluated the way Managed Service for
 * Prometheus evaluates it over Cloud Monitoring data (`prometheus.googleapis.com/NAME/KIND`
 * series, see managed-collection.ts): a selector `name{l="v", l!="v", l=~"re", l!~"re"}`,
 * `increase(selector[30s])` and `rate(…)` with Prometheus' extrapolation, and `sum(…)` with an
 * optional `by (labels)`. A histogram NAME answers as NAME_bucket (with `le`), NAME_sum and
 * NAME_count. Labels are the metric's and the resource's. Anything else is a `bad_data` error.
 */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export class PromqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromqlError';
  }
}

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Expr =
  | { kind: 'selector'; name: string; matchers: Matcher[]; rangeMs: number | null }
  | { kind: 'call'; fn: 'increase' | 'rate'; arg: Expr }
  | { kind: 'sum'; by: string[] | null; arg: Expr };

const TOKEN =
  /\s*(?:([a-zA-Z_:][a-zA-Z0-9_:]*)|("(?:[^"\\]|\\.)*")|(=~|!~|!=|=|[(){}[\],])|(\d+[smhd]))/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < query.length) {
    if (/^\s*$/.test(query.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(query);
    if (!m)
      throw new PromqlError(
        `unexpected character at position ${at}: "${query.slice(at, at + 10)}"`,
      );
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parse(query: string): Expr {
  const tokens = tokenize(query);
  let i = 0;
  const peek = () => tokens[i];
  const next = (what: string) => {
    const t = tokens[i++];
    if (t === undefined) throw new PromqlError(`unexpected end of input, expected ${what}`);
    return t;
  };
  const expect = (t: string) => {
    const got = next(`"${t}"`);
    if (got !== t) throw new PromqlError(`expected "${t}", got "${got}"`);
  };
  const labels = (): string[] => {
    expect('(');
    const out: string[] = [];
    while (peek() !== ')') {
      out.push(next('a label name'));
      if (peek() === ',') i++;
    }
    expect(')');
    return out;
  };
  const expr = (): Expr => {
    const head = next('an expression');
    if (head === 'sum') {
      let by = peek() === 'by' ? (i++, labels()) : null;
      expect('(');
      const arg = expr();
      expect(')');
      if (by === null && peek() === 'by') by = (i++, labels());
      return { kind: 'sum', by, arg };
    }
    if (head === 'increase' || head === 'rate') {
      expect('(');
      const arg = expr();
      expect(')');
      if (arg.kind !== 'selector' || arg.rangeMs === null)
        throw new PromqlError(`${head}() takes a range vector, e.g. ${head}(x[5m])`);
      return { kind: 'call', fn: head, arg };
    }
    if (!/^[a-zA-Z_:]/.test(head)) throw new PromqlError(`unexpected "${head}"`);
    const matchers: Matcher[] = [];
    if (peek() === '{') {
      i++;
      while (peek() !== '}') {
        const label = next('a label name');
        const op = next('a matcher') as Matcher['op'];
        if (!['=', '!=', '=~', '!~'].includes(op)) throw new PromqlError(`unexpected "${op}"`);
        const quoted = next('a string');
        if (!quoted.startsWith('"')) throw new PromqlError(`expected a string, got "${quoted}"`);
        matchers.push({ label, op, value: JSON.parse(quoted) as string });
        if (peek() === ',') i++;
      }
      expect('}');
    }
    let rangeMs: number | null = null;
    if (peek() === '[') {
      i++;
      const d = /^(\d+)([smhd])$/.exec(next('a duration'));
      if (!d) throw new PromqlError('expected a duration such as 30s or 5m');
      rangeMs = Number(d[1]) * UNIT_MS[d[2]!]!;
      expect(']');
    }
    return { kind: 'selector', name: head, matchers, rangeMs };
  };
  const out = expr();
  if (i < tokens.length) throw new PromqlError(`unexpected "${tokens[i]}" after the expression`);
  return out;
}

interface Sampled {
  labels: Record<string, string>;
  points: { t: number; v: number }[];
}

/** The float series a PromQL metric name reads, from the stored Monitoring series. */
function seriesNamed(all: Series[], name: string): Sampled[] {
  const out: Sampled[] = [];
  const hist = /^(.*)_(bucket|sum|count)$/.exec(name);
  for (const s of all) {
    const base = { ...s.resource.labels, ...s.metric.labels };
    const type = s.metric.type;
    if (
      type === `prometheus.googleapis.com/${name}/counter` ||
      type === `prometheus.googleapis.com/${name}/gauge`
    ) {
      out.push({
        labels: { __name__: name, ...base },
        points: s.points.map((p) => ({ t: p.endMs, v: p.value as number })),
      });
    } else if (hist && type === `prometheus.googleapis.com/${hist[1]}/histogram`) {
      const dists = s.points.flatMap((p) => (isDist(p.value) ? [{ t: p.endMs, d: p.value }] : []));
      if (hist[2] === 'count')
        out.push({
          labels: { __name__: name, ...base },
          points: dists.map(({ t, d }) => ({ t, v: d.count })),
        });
      else if (hist[2] === 'sum')
        out.push({
          labels: { __name__: name, ...base },
          points: dists.map(({ t, d }) => ({ t, v: d.mean * d.count })),
        });
      else {
        const bounds = dists[0]?.d.options.explicit_buckets?.bounds ?? [];
        for (const [k, le] of [...bounds.map(String), '+Inf'].entries()) {
          const points = dists.map(({ t, d }) => ({
            t,
            v: d.counts.slice(0, k + 1).reduce((a, b) => a + b, 0),
          }));
          out.push({ labels: { __name__: name, ...base, le }, points });
        }
      }
    }
  }
  return out;
}

function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === '=~' ? re.test(v) : !re.test(v);
}

/** Prometheus' extrapolatedRate (promql/functions.go) for increase(); null under two samples. */
function increase(points: { t: number; v: number }[], start: number, end: number): number | null {
  if (points.length < 2) return null;
  const first = points[0]!;
  const last = points.at(-1)!;
  let result = last.v - first.v;
  for (let k = 1; k < points.length; k++) {
    if (points[k]!.v < points[k - 1]!.v) result += points[k - 1]!.v; // a counter reset
  }
  const sampled = (last.t - first.t) / 1000;
  const average = sampled / (points.length - 1);
  let toStart = (first.t - start) / 1000;
  const toEnd = (end - last.t) / 1000;
  if (result > 0 && first.v >= 0) toStart = Math.min(toStart, sampled * (first.v / result));
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  return result * (interval / sampled);
}

const LOOKBACK_MS = 5 * 60_000;

function evaluate(e: Expr, all: Series[], t: number): InstantSample[] {
  if (e.kind === 'sum') {
    const groups = new Map<string, InstantSample>();
    for (const s of evaluate(e.arg, all, t)) {
      const labels = Object.fromEntries(
        (e.by ?? []).flatMap((l) => (s.labels[l] ? [[l, s.labels[l]]] : [])),
      );
      const key = JSON.stringify(labels);
      const g = groups.get(key) ?? { labels, value: 0 };
      g.value += s.value;
      groups.set(key, g);
    }
    return [...groups.values()];
  }
  if (e.kind === 'call') {
    const sel = e.arg as Extract<Expr, { kind: 'selector' }>;
    const start = t - (sel.rangeMs ?? 0);
    return select(sel, all).flatMap((s) => {
      const inRange = s.points.filter((p) => p.t > start && p.t <= t);
      const v = increase(inRange, start, t);
      if (v === null) return [];
      const { __name__: _name, ...labels } = s.labels;
      return [{ labels, value: e.fn === 'rate' ? v / ((sel.rangeMs ?? 1000) / 1000) : v }];
    });
  }
  if (e.rangeMs !== null)
    throw new PromqlError('a range vector cannot be the result of an instant query here');
  return select(e, all).flatMap((s) => {
    const p = s.points.filter((q) => q.t <= t && q.t > t - LOOKBACK_MS).at(-1);
    return p ? [{ labels: s.labels, value: p.v }] : [];
  });
}

function select(e: Extract<Expr, { kind: 'selector' }>, all: Series[]): Sampled[] {
  return seriesNamed(all, e.name)
    .filter((s) => e.matchers.every((m) => matches(s.labels, m)))
    .map((s) => ({ ...s, points: [...s.points].sort((a, b) => a.t - b.t) }));
}

/** Evaluates `query` at `time` (epoch ms) over a project's stored series. */
export function instantQuery(query: string, time: number, series: Series[]): InstantSample[] {
  return evaluate(parse(query), series, time);
}
