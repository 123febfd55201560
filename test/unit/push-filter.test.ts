import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { classifyPush, classifyPushes, digestKnown } from '../../shared/domain/push-filter.js';
import { parseArtifactRegistryNotification } from '../../shared/schemas/inbound/artifact-registry.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const config = parseConfig(read('hello-world.config.json'));
const sample = parseConfig(
  JSON.parse(readFileSync(new URL('../../examples/cutover.config.json', import.meta.url), 'utf8')),
);
const REPO = 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world';
const SERVICE = 'projects/my-project/locations/us-west1/services/hello-world';
/** The fixture's digest: the doc's, made whole (the doc truncates it for display). */
const DIGEST = `sha256:6ec128e26cd5${'0'.repeat(52)}`;
/** `null` leaves the key out. */
const push = (tag: string | null, digest: string | null = `${REPO}@${DIGEST}`, action = 'INSERT') =>
  parseArtifactRegistryNotification({
    action,
    ...(tag === null ? {} : { tag }),
    ...(digest === null ? {} : { digest }),
  });
const reasonOf = (tag: string | null, digest?: string | null, action?: string) => {
  const d = classifyPush(push(tag, digest, action), config);
  return d.kind === 'ignored' ? d.reason : `release ${d.tag}`;
};

describe('classifyPush', () => {
  it('releases the doc INSERT with tag on the service that follows hello-world', () => {
    const d = classifyPush(
      parseArtifactRegistryNotification(read('artifact-registry-insert-tag.json')),
      config,
    );
    expect(d).toMatchObject({
      kind: 'release',
      image: REPO,
      imageRef: `${REPO}@${DIGEST}`,
      digest: DIGEST,
      tag: '1.1',
    });
    expect(d.kind === 'release' && d.service.service).toBe(SERVICE);
  });

  it('names the image no service follows (the sample config follows leakage-model only)', () => {
    const d = classifyPush(
      parseArtifactRegistryNotification(read('artifact-registry-insert-tag.json')),
      sample,
    );
    expect(d).toEqual({ kind: 'ignored', reason: `no service follows image ${REPO}` });
  });

  it.each([
    [
      'a DELETE',
      () => reasonOf(`${REPO}:1.1`, null, 'DELETE'),
      'DELETE: a removed tag or image never starts a release',
    ],
    [
      'a DELETE by digest',
      () => reasonOf(null, `${REPO}@${DIGEST}`, 'DELETE'),
      'DELETE: a removed tag or image never starts a release',
    ],
    ['a digest-only INSERT', () => reasonOf(null), 'no tag: a digest-only INSERT (untagged push)'],
    [
      'a tag without digest',
      () => reasonOf(`${REPO}:1.1`, null),
      'no digest: an INSERT that names only a tag',
    ],
    [
      'a cosign signature',
      () => reasonOf(`${REPO}:sha256-6ec128e26cd5.sig`),
      'signature/attestation tag sha256-6ec128e26cd5.sig',
    ],
    [
      'an attestation',
      () => reasonOf(`${REPO}:sha256-6ec128.att`),
      'signature/attestation tag sha256-6ec128.att',
    ],
    [
      'a rollback tag',
      () => reasonOf(`${REPO}:rollback-20260101T000000Z`),
      "tag rollback-20260101T000000Z is under rollback-, reserved for cutover's own rollback tags: it never starts a release",
    ],
    [
      'latest',
      () => reasonOf(`${REPO}:latest`),
      `tag latest matches ignore pattern latest of ${SERVICE}`,
    ],
    [
      'a tag outside include',
      () => reasonOf(`${REPO}:nightly`),
      `tag nightly matches no include pattern of ${SERVICE} (*.*, v*)`,
    ],
    [
      'another image',
      () => reasonOf(`${REPO}-2:1.1`, `${REPO}-2@${DIGEST}`),
      `no service follows image ${REPO}-2`,
    ],
    [
      'tag and digest of different images',
      () => reasonOf(`${REPO}:1.1`, `${REPO}-2@${DIGEST}`),
      `tag ${REPO}:1.1 and digest ${REPO}-2@${DIGEST} name different images`,
    ],
    ['an included v tag', () => reasonOf(`${REPO}:v2`), 'release v2'],
  ])('decides %s', (_name, run, expected) => {
    expect(run()).toBe(expected);
  });

  it('follows gcr.io-style images (Container Registry publishes to the same topic)', () => {
    const d = classifyPush(
      push('gcr.io/my-project/hello/eu:3.0', `gcr.io/my-project/hello/eu@sha256:${'a'.repeat(64)}`),
      config,
    );
    expect(d).toMatchObject({
      kind: 'release',
      imageRef: `gcr.io/my-project/hello/eu@sha256:${'a'.repeat(64)}`,
      tag: '3.0',
    });
  });

  it('never releases a rollback-* tag, whatever tags.ignore the user set', () => {
    const bare = parseConfig({
      services: [{ service: SERVICE, image: REPO, tags: { include: ['*'], ignore: [] } }],
    });
    for (const tag of ['rollback-20260101T000000Z', 'rollback-latest'])
      expect(classifyPush(push(`${REPO}:${tag}`), bare)).toEqual({
        kind: 'ignored',
        reason: `tag ${tag} is under rollback-, reserved for cutover's own rollback tags: it never starts a release`,
      });
    expect(classifyPush(push(`${REPO}:rollbacks-1`), bare).kind).toBe('release');
  });

  it('gives one decision per service following the image', () => {
    const two = parseConfig({
      services: [
        { service: SERVICE, image: REPO, tags: { include: ['v*'] } },
        { service: 'projects/my-project/locations/us-east1/services/hello-east', image: REPO },
      ],
    });
    const decisions = classifyPushes(push(`${REPO}:1.1`), two);
    expect(decisions.map((d) => d.kind)).toEqual(['ignored', 'release']);
    expect(classifyPush(push(`${REPO}:1.1`), two)).toMatchObject({
      kind: 'release',
      service: { service: 'projects/my-project/locations/us-east1/services/hello-east' },
    });
  });
});

describe('digestKnown', () => {
  const slot = (digest: string, color: 'blue' | 'green') => ({
    revision: `hello-${color}`,
    image: `${REPO}@${digest}`,
    color,
  });
  const record: ServiceRecord = {
    stable: slot('sha256:aa', 'blue'),
    release: {
      id: 'r1',
      phase: 'smoke-testing',
      candidate: slot('sha256:bb', 'green'),
      tag: '2',
      startedAt: '2026-01-01T00:00:00Z',
    },
    failedImages: [`${REPO}@sha256:cc`, 'sha256:dd'],
    history: [],
  };

  it.each([
    ['sha256:aa', 'stable'],
    ['sha256:bb', 'candidate'],
    ['sha256:cc', 'failed'],
    ['sha256:dd', 'failed'],
    ['sha256:ee', null],
  ])('%s → %s', (digest, known) => {
    expect(digestKnown(record, digest)).toBe(known);
  });

  it('ignores the candidate of a finished release, and knows nothing without a record', () => {
    const done: ServiceRecord = {
      ...record,
      release: {
        ...record.release!,
        phase: 'superseded',
        endedAt: '2026-01-01T01:00:00Z',
        supersededBy: 'r2',
      },
    };
    expect(digestKnown(done, 'sha256:bb')).toBeNull();
    expect(digestKnown(null, 'sha256:aa')).toBeNull();
  });
});
