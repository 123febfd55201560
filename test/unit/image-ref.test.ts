import { describe, expect, it } from 'vitest';
import {
  InvalidImageRefError,
  isImageRef,
  parseImageRef,
  repositoryOf,
  withDigest,
} from '../../shared/domain/image-ref.js';

const DIGEST = 'sha256:' + 'ab'.repeat(32);

describe('parseImageRef', () => {
  it.each([
    [
      'us-west1-docker.pkg.dev/my-project/my-repo/hello-world:1.1',
      {
        host: 'us-west1-docker.pkg.dev',
        project: 'my-project',
        repository: 'my-repo',
        image: 'hello-world',
        location: 'us-west1',
        tag: '1.1',
        digest: null,
        registry: 'artifact-registry',
      },
    ],
    [
      'us-west1-docker.pkg.dev/my-project/my-repo/hello-world@sha256:6ec128e26cd5...',
      {
        host: 'us-west1-docker.pkg.dev',
        project: 'my-project',
        repository: 'my-repo',
        image: 'hello-world',
        location: 'us-west1',
        tag: null,
        digest: 'sha256:6ec128e26cd5...',
        registry: 'artifact-registry',
      },
    ],
    [
      `us-docker.pkg.dev/p/models/team/leakage/model:2.1.0@${DIGEST}`,
      {
        host: 'us-docker.pkg.dev',
        project: 'p',
        repository: 'models',
        image: 'team/leakage/model',
        location: 'us',
        tag: '2.1.0',
        digest: DIGEST,
        registry: 'artifact-registry',
      },
    ],
    [
      'gcr.io/my-project/hello:latest',
      {
        host: 'gcr.io',
        project: 'my-project',
        repository: null,
        image: 'hello',
        location: null,
        tag: 'latest',
        digest: null,
        registry: 'container-registry',
      },
    ],
    [
      `eu.gcr.io/my-project/team/hello@${DIGEST}`,
      {
        host: 'eu.gcr.io',
        project: 'my-project',
        repository: null,
        image: 'team/hello',
        location: 'eu',
        tag: null,
        digest: DIGEST,
        registry: 'container-registry',
      },
    ],
    [
      'localhost:5000/cutover-demo/models/leakage-model',
      {
        host: 'localhost:5000',
        project: 'cutover-demo',
        repository: 'models',
        image: 'leakage-model',
        location: null,
        tag: null,
        digest: null,
        registry: 'artifact-registry',
      },
    ],
    [
      'localhost:5000/cutover-demo/models/leakage-model:v2',
      {
        host: 'localhost:5000',
        project: 'cutover-demo',
        repository: 'models',
        image: 'leakage-model',
        location: null,
        tag: 'v2',
        digest: null,
        registry: 'artifact-registry',
      },
    ],
    [
      'gcr.io/example.com/my-project/hello:1',
      {
        host: 'gcr.io',
        project: 'example.com:my-project',
        repository: null,
        image: 'hello',
        location: null,
        tag: '1',
        digest: null,
        registry: 'container-registry',
      },
    ],
  ])('parses %s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['hello-world:1.1', 'no registry host'],
    ['docker/hello', '"docker" is not a registry host'],
    ['us-west1-docker.pkg.dev/my-project/hello', 'expected HOST/PROJECT/REPOSITORY/IMAGE'],
    ['gcr.io/my-project', 'expected HOST/PROJECT/IMAGE'],
    ['us-west1-docker.pkg.dev/p/r/Hello', 'path component "Hello"'],
    ['us-west1-docker.pkg.dev/p/r/img:bad tag', 'whitespace'],
    ['us-west1-docker.pkg.dev/p/r/img:-x', 'tag "-x"'],
    ['us-west1-docker.pkg.dev/p/r/img@6ec128', 'digest "6ec128"'],
    ['localhost:5000', 'no registry host'],
  ])('rejects %j naming the wrong part', (ref, reason) => {
    expect(() => parseImageRef(ref)).toThrow(InvalidImageRefError);
    expect(() => parseImageRef(ref)).toThrow(reason);
    expect(isImageRef(ref)).toBe(false);
  });
});

describe('repositoryOf and withDigest', () => {
  it.each([
    [
      'us-west1-docker.pkg.dev/my-project/my-repo/hello-world:1.1',
      'us-west1-docker.pkg.dev/my-project/my-repo/hello-world',
    ],
    [`us-docker.pkg.dev/p/r/a/b:1@${DIGEST}`, 'us-docker.pkg.dev/p/r/a/b'],
    ['gcr.io/example.com/my-project/hello:1', 'gcr.io/example.com/my-project/hello'],
    ['localhost:5000/p/r/img:2', 'localhost:5000/p/r/img'],
  ])('repositoryOf(%s) = %s', (ref, repo) => {
    expect(repositoryOf(ref)).toBe(repo);
  });

  it('replaces tag and digest with the given digest', () => {
    expect(withDigest('us-west1-docker.pkg.dev/p/r/img:1.1', DIGEST)).toBe(
      `us-west1-docker.pkg.dev/p/r/img@${DIGEST}`,
    );
    expect(withDigest(parseImageRef('gcr.io/p/img@sha256:aa'), DIGEST)).toBe(
      `gcr.io/p/img@${DIGEST}`,
    );
  });

  it('refuses a digest without an algorithm', () => {
    expect(() => withDigest('gcr.io/p/img', 'abc')).toThrow(InvalidImageRefError);
  });
});
