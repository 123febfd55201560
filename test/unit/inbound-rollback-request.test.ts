import { describe, expect, it } from 'vitest';
import { resolveServiceRef } from '../../shared/domain/service-ref.js';
import { InvalidPayloadError } from '../../shared/errors.js';
import { parseConfig } from '../../shared/config/load.js';
import { parseRollbackRequest } from '../../shared/schemas/inbound/rollback-request.js';

const FULL = 'projects/my-project/locations/us-west1/services/hello-world';
const valid = {
  service: FULL,
  mode: 'traffic',
  reason: 'p95 doubled after 2.1.0',
  requestedBy: 'ana@example.com',
};
const config = parseConfig({
  services: [
    { service: FULL, image: 'us-west1-docker.pkg.dev/my-project/my-repo/hello-world' },
    {
      service: 'projects/my-project/locations/europe-west1/services/hello-world',
      image: 'gcr.io/my-project/hello',
    },
    { service: 'projects/other/locations/us-west1/services/solo', image: 'gcr.io/other/solo' },
  ],
});

function issuesOf(input: unknown): string[] {
  try {
    parseRollbackRequest(input);
  } catch (e) {
    if (e instanceof InvalidPayloadError) return e.issues;
    throw e;
  }
  return [];
}

describe('rollback request', () => {
  it('accepts a full name or a bare service id, either mode, and trims text', () => {
    expect(parseRollbackRequest(valid)).toEqual(valid);
    expect(
      parseRollbackRequest({ ...valid, service: 'solo', mode: 'container', reason: '  bad  ' }),
    ).toMatchObject({
      service: 'solo',
      mode: 'container',
      reason: 'bad',
    });
  });

  it.each([
    [{ ...valid, mode: 'revision' }, 'mode: expected "traffic", "container" or "undo"'],
    [{ ...valid, mode: undefined }, 'mode: required'],
    [{ ...valid, reason: '   ' }, 'reason: must not be empty'],
    [{ ...valid, reason: 'x'.repeat(1001) }, 'reason: must be at most 1000 characters'],
    [{ ...valid, requestedBy: undefined }, 'requestedBy: required'],
    [{ ...valid, requestedBy: 'x'.repeat(201) }, 'requestedBy: must be at most 200 characters'],
    [
      { ...valid, service: 'projects/p/services/s' },
      'service: must be projects/PROJECT/locations/REGION/services/SERVICE or a bare service id',
    ],
    [{ ...valid, service: 42 }, 'service: expected a service name (string)'],
    [{ ...valid, mdoe: 'traffic' }, '(root): Unrecognized key: "mdoe"'],
  ])('rejects a malformed request naming the field (%#)', (input, issue) => {
    expect(issuesOf(input)).toContain(issue);
  });
});

describe('resolveServiceRef', () => {
  it('resolves a configured full name, and refuses an unconfigured one', () => {
    expect(resolveServiceRef(FULL, config)).toMatchObject({
      kind: 'found',
      service: { service: FULL },
    });
    expect(resolveServiceRef('projects/x/locations/y/services/hello-world', config)).toEqual({
      kind: 'unknown',
    });
  });

  it('resolves a bare id only when exactly one service has it within the scope', () => {
    expect(resolveServiceRef('solo', config)).toMatchObject({ kind: 'found' });
    expect(resolveServiceRef('nope', config)).toEqual({ kind: 'unknown' });
    expect(resolveServiceRef('hello-world', config)).toEqual({
      kind: 'ambiguous',
      candidates: [FULL, 'projects/my-project/locations/europe-west1/services/hello-world'],
    });
    expect(resolveServiceRef('hello-world', config, { location: 'us-west1' })).toMatchObject({
      kind: 'found',
      service: { service: FULL },
    });
    expect(resolveServiceRef('solo', config, { project: 'my-project' })).toEqual({
      kind: 'unknown',
    });
  });
});
