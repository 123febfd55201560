import { describe, expect, it } from 'vitest';
import { packageName } from '../../../shared/adapters/gcp/artifact-registry.js';
import {
  alignmentSeconds,
  int64,
  revisionFilter,
  scalar,
} from '../../../shared/adapters/gcp/monitoring-series.js';
import { PermanentError } from '../../../shared/errors.js';

describe('Artifact Registry package names', () => {
  it('escapes nested image paths', () => {
    expect(packageName('us-west1-docker.pkg.dev/my-project/my-repo/team/hello-world')).toBe(
      'projects/my-project/locations/us-west1/repositories/my-repo/packages/team%2Fhello-world',
    );
  });

  it.each([
    [
      'gcr.io/pocketcoach/leakage',
      'projects/pocketcoach/locations/us/repositories/gcr.io/packages/leakage',
    ],
    [
      'us.gcr.io/p/team/image',
      'projects/p/locations/us/repositories/us.gcr.io/packages/team%2Fimage',
    ],
    ['eu.gcr.io/p/image', 'projects/p/locations/europe/repositories/eu.gcr.io/packages/image'],
    ['asia.gcr.io/p/image', 'projects/p/locations/asia/repositories/asia.gcr.io/packages/image'],
    [
      'gcr.io/example.com/proj/image',
      'projects/example.com:proj/locations/us/repositories/gcr.io/packages/image',
    ],
  ])('maps %s to its Artifact Registry gcr.io repository', (image, name) => {
    expect(packageName(image)).toBe(name);
  });

  it.each([
    'us-docker.pkg.dev/p/repo/image:1.0',
    'docker.io/library/nginx',
    'gcr.io/p/image@sha256:ab',
  ])('rejects %s', (image) => {
    expect(() => packageName(image)).toThrow(PermanentError);
  });
});

describe('ListTimeSeries query parts', () => {
  const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1) + s * 1000);
  it.each([
    [0, 30, 60],
    [0, 60, 60],
    [0, 600.2, 601],
    [0, 1800, 1800],
  ])('window %s..%s s → alignment %s s', (a, b, expected) => {
    expect(alignmentSeconds({ start: at(a), end: at(b) })).toBe(expected);
  });

  it('filters on resource type, location, service and revision', () => {
    expect(
      revisionFilter({
        metricType: 'run.googleapis.com/request_count',
        location: 'us-central1',
        service: 'model',
        revision: 'model-00001-blu',
      }),
    ).toBe(
      'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.labels.location="us-central1" AND resource.labels.service_name="model" AND resource.labels.revision_name="model-00001-blu"',
    );
  });

  it('parses int64 strings and Longs, and picks the set value', () => {
    expect(int64('12345678901')).toBe(12345678901);
    expect(int64({ toString: () => '42' })).toBe(42);
    expect(scalar({ int64Value: '7' })).toBe(7);
    expect(scalar({ doubleValue: 1.5 })).toBe(1.5);
    expect(scalar({})).toBeNull();
  });
});
