import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../../shared/errors.js';
import { parseArtifactRegistryNotification } from '../../shared/schemas/inbound/artifact-registry.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const insert = fixture('artifact-registry-insert-tag.json');
const del = fixture('artifact-registry-delete.json');
const REPO = 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world';

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
  it('accepts the doc INSERT with tag, truncated digest included', () => {
    expect(parseArtifactRegistryNotification(insert)).toEqual({
      action: 'INSERT',
      digest: `${REPO}@sha256:6ec128e26cd5...`,
      tag: `${REPO}:1.1`,
    });
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
        digest: 'gcr.io/p/img@sha256:ab',
      }).tag,
    ).toBe('gcr.io/p/img:1');
    expect(parseArtifactRegistryNotification({ ...insert, extra: 1 })).toMatchObject({ extra: 1 });
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
