import { describe, expect, it } from 'vitest';
import type { TrafficTarget } from '../../shared/domain/commands.js';
import {
  candidatePercent,
  checkedSplit,
  nextStep,
  otherColor,
  promoteSplit,
  revertSplit,
  soleSplit,
  stepSplit,
} from '../../shared/domain/traffic.js';
import type { Slot } from '../../shared/schemas/release.js';

const blue: Slot = {
  revision: 'leakage-00001-abc',
  image: 'h/p/r/leakage@sha256:aaa',
  color: 'blue',
};
const green: Slot = {
  revision: 'leakage-00002-def',
  image: 'h/p/r/leakage@sha256:bbb',
  color: 'green',
};

/** The invariants every split keeps. */
function expectValid(targets: TrafficTarget[]): void {
  expect(targets.reduce((sum, t) => sum + t.percent, 0)).toBe(100);
  for (const t of targets) {
    expect(Number.isInteger(t.percent)).toBe(true);
    expect(t.tag).toBeDefined();
  }
  expect(new Set(targets.map((t) => t.revision)).size).toBe(targets.length);
  expect(new Set(targets.map((t) => t.tag)).size).toBe(targets.length);
}

describe('stepSplit', () => {
  it.each([
    [0, 100],
    [10, 90],
    [25, 75],
    [50, 50],
    [100, 0],
  ])('candidate %i%% leaves the stable %i%%, both tagged with their colors', (percent, rest) => {
    const targets = stepSplit(blue, green, percent);
    expect(targets).toEqual([
      { revision: blue.revision, percent: rest, tag: 'blue' },
      { revision: green.revision, percent, tag: 'green' },
    ]);
    expectValid(targets);
  });

  it('works with the colors swapped (green stable, blue candidate)', () => {
    const stable = { ...green, revision: 'leakage-00003-ghi' };
    const candidate = { ...blue, revision: 'leakage-00004-jkl' };
    expect(stepSplit(stable, candidate, 10)).toEqual([
      { revision: 'leakage-00003-ghi', percent: 90, tag: 'green' },
      { revision: 'leakage-00004-jkl', percent: 10, tag: 'blue' },
    ]);
  });

  it.each([
    [
      'a fractional percent',
      blue,
      green,
      10.5,
      /step percent must be a whole number from 0 to 100, got 10.5/,
    ],
    ['a negative percent', blue, green, -1, /got -1/],
    ['over 100', blue, green, 101, /got 101/],
    ['NaN', blue, green, NaN, /got NaN/],
    [
      'the same revision on both sides',
      blue,
      { ...green, revision: blue.revision },
      10,
      /revision leakage-00001-abc appears twice/,
    ],
    [
      'the same color on both sides',
      blue,
      { ...green, color: 'blue' as const },
      10,
      /tag blue appears twice/,
    ],
  ])('throws on %s', (_name, stable, candidate, percent, message) => {
    expect(() => stepSplit(stable, candidate, percent)).toThrow(message);
  });
});

describe('revertSplit, promoteSplit, soleSplit', () => {
  it('reverts to the stable at 100% and keeps the candidate tagged at 0% for inspection', () => {
    const targets = revertSplit(blue, green);
    expect(targets).toEqual([
      { revision: blue.revision, percent: 100, tag: 'blue' },
      { revision: green.revision, percent: 0, tag: 'green' },
    ]);
    expectValid(targets);
  });

  it('reverts without a candidate to the stable alone', () => {
    expect(revertSplit(blue, null)).toEqual([
      { revision: blue.revision, percent: 100, tag: 'blue' },
    ]);
  });

  it('refuses to revert to the candidate itself', () => {
    expect(() => revertSplit(blue, { ...green, revision: blue.revision })).toThrow(/appears twice/);
  });

  it('promotes: the promoted revision takes 100% under its color, the previous stays tagged at 0%', () => {
    const targets = promoteSplit(green, blue);
    expect(targets).toEqual([
      { revision: green.revision, percent: 100, tag: 'green' },
      { revision: blue.revision, percent: 0, tag: 'blue' },
    ]);
    expectValid(targets);
  });

  it('sends everything to one revision, tagged', () => {
    expect(soleSplit(green)).toEqual([{ revision: green.revision, percent: 100, tag: 'green' }]);
  });
});

describe('checkedSplit', () => {
  it.each([
    [
      'a sum under 100',
      [
        { revision: 'a', percent: 60 },
        { revision: 'b', percent: 30 },
      ],
      /sum to 100, got 90/,
    ],
    [
      'a sum over 100',
      [
        { revision: 'a', percent: 60 },
        { revision: 'b', percent: 50 },
      ],
      /sum to 100, got 110/,
    ],
    ['no targets', [], /sum to 100, got 0/],
    [
      'a revision twice',
      [
        { revision: 'a', percent: 50 },
        { revision: 'a', percent: 50 },
      ],
      /revision a appears twice/,
    ],
    [
      'a fractional percent',
      [
        { revision: 'a', percent: 99.5 },
        { revision: 'b', percent: 0.5 },
      ],
      /percent of a must be a whole number/,
    ],
  ])('throws on %s', (_name, targets, message) => {
    expect(() => checkedSplit(targets)).toThrow(message);
  });
});

describe('candidatePercent', () => {
  it.each([
    [
      'serving 10%',
      [
        { revision: 'a', percent: 90 },
        { revision: 'b', percent: 10 },
      ],
      'b',
      10,
    ],
    [
      'tag-only at 0%',
      [
        { revision: 'a', percent: 100 },
        { revision: 'b', percent: 0 },
      ],
      'b',
      0,
    ],
    ['absent', [{ revision: 'a', percent: 100 }], 'b', 0],
    [
      'listed twice (tag entry plus percent entry)',
      [
        { revision: 'a', percent: 75 },
        { revision: 'b', percent: 0 },
        { revision: 'b', percent: 25 },
      ],
      'b',
      25,
    ],
    ['all traffic', [{ revision: 'b', percent: 100 }], 'b', 100],
  ])('%s → %i', (_name, traffic, candidate, expected) => {
    expect(candidatePercent(traffic, candidate)).toBe(expected);
  });
});

describe('nextStep', () => {
  const steps = [10, 25, 50, 100];
  it.each([
    [-1, { index: 0, percent: 10 }],
    [0, { index: 1, percent: 25 }],
    [2, { index: 3, percent: 100 }],
    [3, null],
  ])('after step %i → %j', (current, expected) => {
    expect(nextStep(steps, current)).toEqual(expected);
  });

  it('is null after a single 100% step', () => {
    expect(nextStep([100], 0)).toBeNull();
  });

  it.each([4, -2, 1.5])('throws on step index %s', (current) => {
    expect(() => nextStep(steps, current)).toThrow(/outside the 4 configured steps/);
  });
});

describe('otherColor', () => {
  it.each([
    ['blue', 'green'],
    ['green', 'blue'],
  ] as const)('%s → %s', (color, other) => {
    expect(otherColor(color)).toBe(other);
    expect(otherColor(otherColor(color))).toBe(color);
  });
});
