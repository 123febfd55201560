import { describe, expect, it } from 'vitest';
import { isRollbackTag, newestRollbackTag, rollbackTag } from '../../shared/domain/rollback-tag.js';

/** Docker / Artifact Registry tag grammar. */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

describe('rollbackTag', () => {
  it.each([
    ['2025-01-02T03:04:05.678Z', 'rollback-20250102T030405Z'],
    ['2024-12-31T23:59:59.999Z', 'rollback-20241231T235959Z'],
    ['2025-01-01T00:00:00.000Z', 'rollback-20250101T000000Z'],
    ['2024-02-29T12:00:00.000Z', 'rollback-20240229T120000Z'],
    ['2025-06-15T14:30:00.000+02:00', 'rollback-20250615T123000Z'],
  ])('%s → %s (UTC, a valid Docker tag that round-trips)', (iso, tag) => {
    expect(rollbackTag(new Date(iso))).toBe(tag);
    expect(tag).toMatch(DOCKER_TAG);
    expect(isRollbackTag(tag)).toBe(true);
  });

  it.each([
    ['an invalid date', new Date('not a date')],
    ['a five-digit year', new Date('+010000-01-01T00:00:00Z')],
  ])('throws on %s', (_name, date) => {
    expect(() => rollbackTag(date)).toThrow();
  });
});

describe('isRollbackTag', () => {
  it.each([
    ['rollback-20250102T030405Z', true],
    ['rollback-20240229T000000Z', true],
    ['rollback-latest', false],
    ['rollback-', false],
    ['rollback-20251302T000000Z', false], // month 13
    ['rollback-20250230T000000Z', false], // 30 February
    ['rollback-20250229T000000Z', false], // 2025 is no leap year
    ['rollback-20250102T240000Z', false], // hour 24
    ['rollback-20250102T236000Z', false], // minute 60
    ['rollback-20250102T030405', false], // no Z
    ['rollback-20250102t030405z', false],
    ['rollback-2025-01-02T03:04:05Z', false],
    ['rollback-20250102T030405Z-old', false],
    ['xrollback-20250102T030405Z', false],
    ['2.1.0', false],
    ['', false],
  ])('%j → %s', (tag, expected) => {
    expect(isRollbackTag(tag)).toBe(expected);
  });
});

describe('newestRollbackTag', () => {
  const entries = (...tags: string[]) => tags.map((tag, i) => ({ tag, digest: `sha256:${i}` }));

  it.each([
    [
      'across days',
      ['rollback-20250102T000000Z', 'rollback-20250103T000000Z', 'rollback-20250101T235959Z'],
      'rollback-20250103T000000Z',
    ],
    [
      'across years, newest first in the list',
      ['rollback-20250101T000000Z', 'rollback-20241231T235959Z'],
      'rollback-20250101T000000Z',
    ],
    [
      'across years, newest last in the list',
      ['rollback-20241231T235959Z', 'rollback-20250101T000000Z'],
      'rollback-20250101T000000Z',
    ],
    [
      'seconds apart',
      ['rollback-20250101T120001Z', 'rollback-20250101T120000Z'],
      'rollback-20250101T120001Z',
    ],
    [
      'ignoring other tags',
      ['2.1.0', 'latest', 'rollback-20240101T000000Z', 'v3'],
      'rollback-20240101T000000Z',
    ],
    [
      'ignoring malformed rollback tags that sort later',
      [
        'rollback-20240101T000000Z',
        'rollback-99999999T999999Z',
        'rollback-latest',
        'rollback-20251301T000000Z',
        'rollback-20260101T000000Z-x',
      ],
      'rollback-20240101T000000Z',
    ],
  ])('%s', (_name, tags, newest) => {
    expect(newestRollbackTag(entries(...tags))?.tag).toBe(newest);
  });

  it.each([
    ['an empty list', []],
    ['only malformed rollback tags', ['rollback-latest', 'rollback-20250230T000000Z']],
    ['no rollback tags', ['2.1.0', 'latest']],
  ])('is null for %s', (_name, tags) => {
    expect(newestRollbackTag(entries(...tags))).toBeNull();
  });

  it('returns the entry itself, with its other fields', () => {
    const list = entries('rollback-20240101T000000Z', 'rollback-20250101T000000Z');
    expect(newestRollbackTag(list)).toBe(list[1]);
  });
});
