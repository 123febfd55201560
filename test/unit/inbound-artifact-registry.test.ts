import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../../shared/errors.js';
import { parseArtifactRegistryNotification } from '../../shared/schemas/inbound/artifact-registry.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const insert = fixture('artifact-registry-insert-tag.json');
const del = fixture('artifact-registry-delete.json');
const REPO = 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world';
/** The fixture is the doc's INSERT with its digest whole: the doc truncates it for display. */
const DIGEST = `sha256:6ec128e26cd5${'0'.repeat(52)}`;

function issuesOf(input: unknown): string[] {
  try {
    parseArtifactRegistryNotification(input);
  } catch (e) {
    if (e instanceof InvalidPayloadError) return e.issues;
    throw e;
  }
  return [];
}

describe('Artifact Registry notification', () => {
  it('accepts the doc INSERT with tag (its digest whole)', () => {
    expect(parseArtifactRegistryNotification(insert)).toEqual({
      action: 'INSERT',
      digest: `${REPO}@${DIGEST}`,
      tag: `${REPO}:1.1`,
    });
  });

  it.each([
    ['the doc’s truncated example', 'sha256:6ec128e26cd5...'],
    ['63 hex', `sha256:${'a'.repeat(63)}`],
    ['65 hex', `sha256:${'a'.repeat(65)}`],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`],
    ['another algorithm', `sha512:${'a'.repeat(64)}`],
    ['non-hex', `sha256:${'g'.repeat(64)}`],
  ])('rejects a digest that is not sha256 + 64 lowercase hex: %s', (_name, digest) => {
    const issue = `digest: digest "${digest}" is not sha256: followed by 64 lowercase hex characters`;
    expect(issuesOf({ action: 'INSERT', digest: `${REPO}@${digest}`, tag: insert.tag })).toContain(
      issue,
    );
    expect(issuesOf({ action: 'DELETE', digest: `${REPO}@${digest}` })).toContain(issue);
    expect(issuesOf({ action: 'INSERT', tag: `${REPO}:1.1@${digest}` })).toContain(
      issue.replace('digest: digest', 'tag: digest'),
    );
  });

  it('accepts the doc DELETE with only a tag', () => {
    expect(parseArtifactRegistryNotification(del)).toEqual({
      action: 'DELETE',
      tag: `${REPO}:1.1`,
    });
  });

  it('accepts a digest-only INSERT, a DELETE by digest, gcr.io references and unknown keys', () => {
    expect(
      parseArtifactRegistryNotification({ action: 'INSERT', digest: insert.digest }).tag,
    ).toBeUndefined();
    expect(
      parseArtifactRegistryNotification({ action: 'DELETE', digest: insert.digest }).action,
    ).toBe('DELETE');
    expect(
      parseArtifactRegistryNotification({
        action: 'INSERT',
        tag: 'gcr.io/p/img:1',
        digest: `gcr.io/p/img@${DIGEST}`,
      }).tag,
    ).toBe('gcr.io/p/img:1');
    expect(parseArtifactRegistryNotification({ ...insert, extra: 1 })).toMatchObject({
      extra: 1,
    });
  });

  it('reads a null or empty tag as absent', () => {
    expect(parseArtifactRegistryNotification({ ...insert, tag: null }).tag).toBeUndefined();
    expect(parseArtifactRegistryNotification({ ...insert, tag: '' }).tag).toBeUndefined();
  });

  it.each([
    [{ ...insert, action: 'PUSH' }, 'action: expected "INSERT" or "DELETE"'],
    [{ ...insert, action: 'insert' }, 'action: expected "INSERT" or "DELETE"'],
    [{ digest: insert.digest }, 'action: required'],
    [{ action: 'INSERT' }, 'digest: a notification must carry a digest or a tag reference'],
    [
      { ...insert, tag: '1.1' },
      'tag: not a usable image reference "1.1": no registry host (expected HOST/PROJECT/…)',
    ],
    [{ ...insert, tag: REPO }, 'tag: must be a full image reference with a tag: HOST/…/IMAGE:TAG'],
    [
      { ...insert, digest: `${REPO}:1.1` },
      'digest: must be a full image reference with a digest: HOST/…/IMAGE@sha256:…',
    ],
    [{ ...insert, digest: 42 }, 'digest: expected a full image reference (string)'],
    ['INSERT', '(root): Invalid input: expected object, received string'],
  ])('rejects %j naming the field', (input, issue) => {
    expect(issuesOf(input)).toContain(issue);
  });

  it('says which payload kind was invalid', () => {
    expect(() => parseArtifactRegistryNotification({ action: 'X', tag: insert.tag })).toThrow(
      'invalid Artifact Registry notification: action: expected "INSERT" or "DELETE"',
    );
  });
});
