import { describe, expect, it } from 'vitest';
import { firstMatch, matchesTag } from '../../shared/domain/tag-pattern.js';

describe('matchesTag', () => {
  it.each([
    ['*', '1.1', true],
    ['*', '', true],
    ['latest', 'latest', true],
    ['latest', 'latest2', false],
    ['rollback-*', 'rollback-20260101T000000Z', true],
    ['rollback-*', 'pre-rollback-1', false],
    ['*.sig', 'sha256-abc.sig', true],
    ['*.sig', 'sha256-abc.sig.bak', false],
    ['v*.*', 'v2.1', true],
    ['v*.*', 'v2', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['*.*', '1.1', true],
    ['Latest', 'latest', false],
    ['v1.?', 'v1.2', false],
  ])('%s vs %s → %s', (pattern, tag, expected) => {
    expect(matchesTag(pattern, tag)).toBe(expected);
  });

  it('firstMatch returns the first matching pattern or null', () => {
    expect(firstMatch(['latest', 'rollback-*', '*'], 'rollback-1')).toBe('rollback-*');
    expect(firstMatch(['latest'], '1.0')).toBeNull();
  });
});
