import { describe, expect, it } from 'vitest';
import { shapeDifference } from '../../shared/domain/json-shape.js';
import { judgeSmoke, median, type ProbeResult } from '../../shared/domain/smoke.js';
import { SmokeConfig, SmokeRoute } from '../../shared/schemas/config.js';
import { SmokeSummary } from '../../shared/schemas/events.js';

const smoke = SmokeConfig.parse({}); // maxLatencyRatio 2, latencySlackMs 50, requireMonitoring true
const route = SmokeRoute.parse({ method: 'POST', path: '/predict', body: { features: [1, 2] } });
const body = { score: 0.42, label: 'leak', model: { version: '1', features: ['a', 'b'] } };

function probe(over: Partial<ProbeResult> = {}): ProbeResult {
  return { status: 200, latencyMs: 100, json: body, error: null, ...over };
}
const three = (over: Partial<ProbeResult> = {}): ProbeResult[] => [
  probe(over),
  probe(over),
  probe(over),
];

function judge(
  green: ProbeResult[],
  blue: ProbeResult[] = three(),
  visible: boolean | null = true,
  config: SmokeConfig = smoke,
) {
  return judgeSmoke({
    routes: [route],
    blue: [blue],
    green: [green],
    smoke: config,
    greenVisibleInMonitoring: visible,
  });
}

function checkOf(summary: SmokeSummary, name: string) {
  const found = summary.checks.find((c) => c.name === name);
  if (!found)
    throw new Error(`no check ${name} in ${summary.checks.map((c) => c.name).join(', ')}`);
  return found;
}

describe('judgeSmoke', () => {
  it('passes a healthy candidate with one status, shape and latency check per route, plus monitoring', () => {
    const summary = judge(three({ json: { ...body, score: 0.9, label: 'ok' } }));
    expect(summary.passed).toBe(true);
    expect(summary.checks.map((c) => c.name)).toEqual([
      'status POST /predict',
      'shape POST /predict',
      'latency POST /predict',
      'monitoring',
    ]);
    expect(SmokeSummary.parse(summary)).toEqual(summary);
  });

  it.each([
    [
      'one probe answered 500',
      [probe(), probe({ status: 500 }), probe()],
      /status 500 on 1 of 3 probes, expected 200/,
    ],
    ['every probe answered 404', three({ status: 404, json: null }), /status 404 on 3 of 3 probes/],
    [
      'no response',
      [probe({ status: null, json: null, error: 'ECONNREFUSED' })],
      /no response \(ECONNREFUSED\)/,
    ],
    ['no probes at all', [], /green was not probed/],
  ])('fails the status check when %s', (_name, green, detail) => {
    const summary = judge(green);
    expect(summary.passed).toBe(false);
    const status = checkOf(summary, 'status POST /predict');
    expect(status.passed).toBe(false);
    expect(status.detail).toMatch(detail);
  });

  it.each([
    [
      'a renamed field',
      { ...body, label: undefined, tag: 'leak' },
      /\$\.label is missing in green; \$\.tag is new in green/,
    ],
    ['a type change', { ...body, score: '0.42' }, /\$\.score: blue has number, green has string/],
    [
      'a nested type change',
      { ...body, model: { version: 1, features: [] } },
      /\$\.model\.version: blue has string, green has number/,
    ],
    [
      'a nested missing field',
      { ...body, model: { features: ['a'] } },
      /\$\.model\.version is missing in green/,
    ],
    [
      'an array element type change',
      { ...body, model: { version: '1', features: [1] } },
      /\$\.model\.features\[\]: blue has string, green has number/,
    ],
    ['null for a number', { ...body, score: null }, /\$\.score: blue has number, green has null/],
    [
      'an array for an object',
      { ...body, model: [] },
      /\$\.model: blue has object, green has array/,
    ],
    ['no JSON body', null, /\$: blue has object, green has null/],
  ])('fails the shape check on %s', (_name, json, detail) => {
    const clean = json === null ? null : JSON.parse(JSON.stringify(json)); // drops undefined keys
    const summary = judge([probe(), probe({ json: clean }), probe()]);
    const shape = checkOf(summary, 'shape POST /predict');
    expect(summary.passed).toBe(false);
    expect(shape.passed).toBe(false);
    expect(shape.detail).toMatch(/^green answer 2 differs from blue: /);
    expect(shape.detail).toMatch(detail);
  });

  it.each([
    // name, blue median inputs, green latencies, passed
    ['green exactly at blue × 2 + 50 ms', [100, 100, 100], [250, 250, 250], true],
    ['green 1 ms over the limit', [100, 100, 100], [251, 251, 251], false],
    ['an outlier does not move the median', [100, 100, 100], [90, 5000, 110], true],
    ['two slow probes of three', [100, 100, 100], [90, 400, 300], false],
    [
      'an even count takes the mean of the middle two',
      [90, 110, 100, 100],
      [240, 260, 250, 250],
      true,
    ],
  ])('latency: %s', (_name, blue, green, passed) => {
    const summary = judge(
      green.map((latencyMs) => probe({ latencyMs })),
      blue.map((latencyMs) => probe({ latencyMs })),
    );
    const latency = checkOf(summary, 'latency POST /predict');
    expect(latency.passed).toBe(passed);
    expect(summary.passed).toBe(passed);
    expect(latency.detail).toMatch(
      /^green median .* ms (≤|>) 250 ms \(blue median 100 ms × 2 \+ 50 ms\)$/,
    );
  });

  it('fails shape and latency without blaming green when blue itself fails the route', () => {
    const summary = judge(three(), [probe(), probe({ status: 503, json: null })]);
    expect(summary.passed).toBe(false);
    expect(checkOf(summary, 'status POST /predict').passed).toBe(true);
    for (const name of ['shape POST /predict', 'latency POST /predict']) {
      const c = checkOf(summary, name);
      expect(c.passed).toBe(false);
      expect(c.detail).toMatch(
        /^no baseline: blue \(the stable\) answered status 503 on 1 of 2 probes.*not the candidate's fault/,
      );
    }
  });

  it.each([
    // requireMonitoring, visible, passed, detail
    [true, true, true, /is visible/],
    [true, false, false, /is not visible in Cloud Monitoring, and monitoring is required/],
    [true, null, false, /was not checked, and monitoring is required/],
    [false, false, true, /not required/],
    [false, null, true, /was not checked; not required/],
  ])(
    'monitoring required %s, visible %s → passed %s',
    (requireMonitoring, visible, passed, detail) => {
      const summary = judge(three(), three(), visible, { ...smoke, requireMonitoring });
      const monitoring = checkOf(summary, 'monitoring');
      expect(monitoring.passed).toBe(passed);
      expect(monitoring.detail).toMatch(detail);
      expect(summary.passed).toBe(passed);
    },
  );

  it('judges every route on its own', () => {
    const health = SmokeRoute.parse({ path: '/healthz', samples: 1 });
    const summary = judgeSmoke({
      routes: [route, health],
      blue: [three(), [probe({ json: { ok: true } })]],
      green: [three(), [probe({ json: { ok: 'yes' } })]],
      smoke,
      greenVisibleInMonitoring: true,
    });
    expect(summary.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual([
      'shape GET /healthz',
    ]);
  });

  it('throws when the probe lists do not line up with the routes', () => {
    expect(() =>
      judgeSmoke({
        routes: [route],
        blue: [],
        green: [three()],
        smoke,
        greenVisibleInMonitoring: true,
      }),
    ).toThrow(/1 routes, 0 blue and 1 green probe lists/);
  });
});

describe('shapeDifference', () => {
  it.each([
    ['different values', { a: 1, b: 'x' }, { a: 2, b: 'y' }],
    ['different key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['arrays of different lengths', { xs: [1, 2, 3] }, { xs: [4] }],
    ['an empty array on one side', { xs: [] }, { xs: [{ a: 1 }] }],
    ['equal mixed arrays', [1, 'a', 2], ['b', 3]],
    ['scalars of one type', 'ok', 'fine'],
    ['both null (no JSON body)', null, null],
    [
      'objects in an array merged by their keys',
      { rows: [{ id: 1, note: 'x' }, { id: 2 }] },
      { rows: [{ id: 3, note: 'y' }] },
    ],
    [
      'nested arrays of objects',
      { rows: [{ id: 1, tags: ['x'] }] },
      {
        rows: [
          { id: 2, tags: [] },
          { id: 3, tags: ['y', 'z'] },
        ],
      },
    ],
  ])('same shape: %s', (_name, blue, green) => {
    expect(shapeDifference(blue, green)).toBeNull();
  });

  it.each([
    [
      'an element field renamed',
      { rows: [{ id: 1 }] },
      { rows: [{ key: 1 }] },
      '$.rows[].id is missing in green; $.rows[].key is new in green (not in blue)',
    ],
    [
      'mixed element shapes',
      [1, 'a'],
      [1, true],
      '$[]: blue has number | string, green has boolean | number',
    ],
    [
      'a type change deep in an array of arrays',
      { m: [[{ v: 1 }]] },
      { m: [[], [{ v: '1' }]] },
      '$.m[][].v: blue has number, green has string',
    ],
    ['an odd key', { 'a-b': 1 }, { 'a-b': '1' }, '$["a-b"]: blue has number, green has string'],
    ['a boolean for a string', 'ok', true, '$: blue has string, green has boolean'],
  ])('differs: %s', (_name, blue, green, difference) => {
    expect(shapeDifference(blue, green)).toBe(difference);
  });

  it('names at most five differences', () => {
    const blue = Object.fromEntries('abcdefg'.split('').map((k) => [k, 1]));
    expect(shapeDifference(blue, {})).toMatch(/\$\.e is missing in green; and 2 more$/);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
