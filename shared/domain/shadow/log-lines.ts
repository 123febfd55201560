import { InferenceLogLine } from '../../schemas/inference-log.js';

/** A request the stable logged, ready to be sent again. */
export interface LoggedRequest {
  time: string;
  method: InferenceLogLine['method'];
  route: string;
  body: unknown;
}

/** What a batch object held: its well-formed requests and how many lines were not. */
export interface ParsedBatch {
  requests: LoggedRequest[];
  /** Lines that are not JSON or not a logged request: skipped and counted, never fatal. */
  malformed: number;
}

/** Parses one JSON Lines batch; blank lines are ignored, malformed ones counted. */
export function parseBatch(text: string): ParsedBatch {
  const requests: LoggedRequest[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      malformed += 1;
      continue;
    }
    const parsed = InferenceLogLine.safeParse(json);
    if (!parsed.success) {
      malformed += 1;
      continue;
    }
    const { time, method, route, features } = parsed.data;
    requests.push({ time, method, route, body: features });
  }
  return { requests, malformed };
}

/** The rules a logged request must meet to be replayed. */
export interface Selection {
  /** How many to take, newest first. */
  limit: number;
  /** Requests logged before this are too old. */
  notBefore: Date;
  /** Replayable routes, `METHOD /path`. */
  routes: readonly string[];
}

export interface Selected {
  requests: LoggedRequest[];
  /** Well-formed requests left out: too old or on a route not configured for replay. */
  skipped: number;
}

/** The newest `limit` requests on allowed routes logged at or after `notBefore`, newest first. */
export function selectNewest(requests: readonly LoggedRequest[], rule: Selection): Selected {
  const allowed = new Set(rule.routes);
  const eligible = requests.filter(
    (r) => allowed.has(`${r.method} ${r.route}`) && Date.parse(r.time) >= rule.notBefore.getTime(),
  );
  const newest = [...eligible].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const chosen = newest.slice(0, rule.limit);
  return { requests: chosen, skipped: requests.length - eligible.length };
}

/**
 * `startOffset` for listing batches no older than `notBefore`: batch names begin with the time of
 * their first record (ISO, so names sort by time); a batch that starts earlier than the cutoff
 * may still hold newer records, so the offset opens one batch-interval (`slackMs`) earlier.
 */
export function listOffset(prefix: string, notBefore: Date, slackMs: number): string {
  return `${prefix}${new Date(notBefore.getTime() - slackMs).toISOString()}`;
}
