import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import type { TrafficTarget } from '../../shared/domain/commands.js';
import {
  initialRecord,
  transition,
  type ReleaseInput,
} from '../../shared/domain/release-machine.js';
import {
  templateProblem,
  tagOfVersion,
  versionOf,
  versionOfTag,
} from '../../shared/domain/version-tag.js';
import { ServiceRecord, type ServiceRecord as Record } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const image = (n: number) => `${REPO}@sha256:${String(n).repeat(64)}`;

describe('versionOf', () => {
  it.each([
    ['v{major}', '2.0.0', 'v2', 'api-v2'],
    ['v{major}', 'v3.1.4', 'v3', 'api-v3'],
    ['v{major}', '10', 'v10', 'api-v10'],
    ['v{major}', '2.0.0-rc.1', 'v2', 'api-v2'],
    ['v{major}-{minor}', '2.07.1', 'v2-7', 'api-v2-7'],
    ['r{major}{minor}{patch}', '1.2.3', 'r123', 'api-r123'],
  ])('%s renders %s as version %s, Cloud Run tag %s', (template, pushed, version, tag) => {
    expect(versionOf(template, pushed, 'leakage')).toEqual({ kind: 'version', version, tag });
  });

  it.each([
    ['v{major}', 'latest', /not a version number/],
    ['v{major}', 'main-abc', /not a version number/],
    ['v{major}-{minor}', '2', /no \{minor\} part/],
  ])('%s gives %s no version', (template, pushed, reason) => {
    const found = versionOf(template, pushed, 'leakage');
    expect(found.kind).toBe('none');
    expect(found.kind === 'none' && found.reason).toMatch(reason);
  });

  it('gives no version when the tag and the service id exceed 46 characters together', () => {
    const service = 'a'.repeat(40); // api-v2 is 6: 46 fits, 47 does not
    expect(versionOf('v{major}', '2.0.0', service).kind).toBe('version');
    const found = versionOf('v{major}', '2.0.0', `${service}b`);
    expect(found).toEqual({ kind: 'none', reason: expect.stringMatching(/exceed.*46/) });
  });

  it('maps versions to tags and back; color tags are no version', () => {
    expect(tagOfVersion('v2')).toBe('api-v2');
    expect(versionOfTag('api-v2')).toBe('v2');
    expect(versionOfTag('green')).toBeNull();
    expect(versionOfTag('api-')).toBeNull();
  });

  it.each([
    ['v{major}', null],
    ['{major}', null],
    ['v{build}', /placeholders/],
    ['V{major}', /lowercase/],
    ['v{major}-', /ends in a letter or digit/],
  ])('template %s: %s', (template, problem) => {
    const found = templateProblem(template);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('the config refuses a bad template and takes null to turn versions off', () => {
    const base = { service: SERVICE, image: REPO };
    expect(() => parseConfig({ services: [{ ...base, versionTag: 'v{build}' }] })).toThrow(
      /versionTag: may use only the placeholders/,
    );
    expect(parseConfig({ services: [base] }).services[0]?.versionTag).toBe('v{major}');
    expect(parseConfig({ services: [{ ...base, versionTag: null }] }).services[0]?.versionTag).toBe(
      null,
    );
  });
});

/** Drives the pure machine through operator inputs (no metrics needed) and keeps the last traffic. */
class Release {
  record: Record;
  traffic: TrafficTarget[] = [];
  constructor(
    readonly config = parseConfig({
      services: [{ service: SERVICE, image: REPO, steps: [10, 100] }],
    }).services[0]!,
  ) {
    this.record = { ...initialRecord({ revision: 'leakage-00001-abc', image: image(1) }) };
    this.record.stable.version = 'v1';
  }
  send(input: ReleaseInput): this {
    const t = transition(this.record, input, { config: this.config, now: new Date(0) });
    this.record = ServiceRecord.parse(t.record);
    const update = t.commands.findLast((c) => c.kind === 'update-service');
    if (update?.kind === 'update-service') this.traffic = update.traffic;
    return this;
  }
  push(id: string, tag: string, n: number): this {
    this.send({ type: 'push', releaseId: id, image: image(n), tag });
    this.send({ type: 'candidate-ready', releaseId: id });
    return this.send({ type: 'smoke-result', releaseId: id, smoke: { passed: true, checks: [] } });
  }
  tags(): Array<[string, string]> {
    return this.traffic.flatMap((t) =>
      t.tag && versionOfTag(t.tag) ? [[t.tag, t.revision] as [string, string]] : [],
    );
  }
}

describe('version tags follow each release', () => {
  it('the candidate is tagged with its version from provisioning on, beside the stable', () => {
    const r = new Release();
    r.send({ type: 'push', releaseId: 'r2', image: image(2), tag: '2.0.0' });
    expect(r.record.release?.candidate.version).toBe('v2');
    expect(r.traffic).toEqual([
      { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
      { revision: 'leakage-r2', percent: 0, tag: 'green' },
      { revision: 'leakage-00001-abc', percent: 0, tag: 'api-v1' },
      { revision: 'leakage-r2', percent: 0, tag: 'api-v2' },
    ]);
  });

  it('promote keeps v2 on the new stable and v1 on the previous one while it is deployed', () => {
    const r = new Release().push('r2', '2.0.0', 2).send({ type: 'promote', requestedBy: 'ana' });
    expect(r.record.release?.phase).toBe('promoted');
    expect(r.record.stable.version).toBe('v2');
    expect(r.tags()).toEqual([
      ['api-v2', 'leakage-r2'],
      ['api-v1', 'leakage-00001-abc'],
    ]);
    // The next release takes v1's slot: v1 is no longer deployed, so its tag goes.
    r.send({ type: 'push', releaseId: 'r3', image: image(3), tag: '3.0.0' });
    expect(r.tags()).toEqual([
      ['api-v2', 'leakage-r2'],
      ['api-v3', 'leakage-r3'],
    ]);
  });

  it('a rollback takes the failed version tag off the candidate: v2 is served by the stable', () => {
    const r = new Release()
      .push('r2', '2.0.0', 2)
      .send({ type: 'rollback-traffic', reason: 'looks off', requestedBy: 'ana' });
    expect(r.record.release?.phase).toBe('rolled-back');
    expect(r.tags()).toEqual([
      ['api-v1', 'leakage-00001-abc'],
      ['api-v2', 'leakage-00001-abc'],
    ]);
    expect(r.traffic).toContainEqual({ revision: 'leakage-r2', percent: 0, tag: 'green' });
    // The next release writes the traffic again: the failed version is gone.
    r.send({ type: 'push', releaseId: 'r3', image: image(3), tag: '3.0.0' });
    expect(r.tags()).toEqual([
      ['api-v1', 'leakage-00001-abc'],
      ['api-v3', 'leakage-r3'],
    ]);
  });

  it('a rollback while provisioning: the candidate never served, its version goes with it', () => {
    const r = new Release();
    r.send({ type: 'push', releaseId: 'r2', image: image(2), tag: '2.0.0' });
    r.send({ type: 'candidate-failed', releaseId: 'r2', reason: 'exit 1' });
    expect(r.record.release?.phase).toBe('rolled-back');
    expect(r.traffic).toEqual([
      { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
      { revision: 'leakage-00001-abc', percent: 0, tag: 'api-v1' },
    ]);
  });

  it('a candidate of the stable major: the stable keeps the version until it is promoted', () => {
    const r = new Release().push('r2', '1.1.0', 2);
    expect(r.tags()).toEqual([['api-v1', 'leakage-00001-abc']]);
    r.send({ type: 'promote', requestedBy: 'ana' });
    expect(r.tags()).toEqual([['api-v1', 'leakage-r2']]);
  });

  it('a tag without a version, or versions turned off: color tags only', () => {
    const off = parseConfig({
      services: [{ service: SERVICE, image: REPO, versionTag: null }],
    }).services[0]!;
    for (const [release, tag] of [
      [new Release(), 'latest'],
      [new Release(off), '2.0.0'],
    ] as const) {
      release.send({ type: 'push', releaseId: 'r2', image: image(2), tag });
      expect(release.record.release?.candidate.version).toBeUndefined();
      expect(release.tags()).toEqual([['api-v1', 'leakage-00001-abc']]);
    }
  });
});
