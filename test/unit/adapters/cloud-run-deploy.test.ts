import { describe, expect, it } from 'vitest';
import {
  pinnedTraffic,
  renamedChange,
  renamedRecord,
} from '../../../shared/adapters/gcp/cloud-run-deploy.js';
import type { ServiceChange } from '../../../shared/ports/service-platform.js';

const IMAGE = 'us-docker.pkg.dev/p/r/i@sha256:2';

describe('renamedChange', () => {
  const change: ServiceChange = {
    traffic: [
      { revision: 'svc-00001-abc', percent: 100, tag: 'blue' },
      { revision: 'svc-r2', percent: 0, tag: 'green' },
      { revision: 'svc-r2', percent: 0, tag: 'api-v2' },
    ],
    record: {
      stable: { revision: 'svc-00001-abc', image: 'i@sha256:1', color: 'blue' },
      release: {
        id: 'r2',
        phase: 'provisioning',
        candidate: { revision: 'svc-r2', image: IMAGE, color: 'green' },
        tag: '2.0.0',
        startedAt: '2026-12-01T10:00:00Z',
      },
      failedImages: [],
      history: [],
    },
    deploy: { revision: 'svc-r2', from: 'svc-00001-abc', image: IMAGE, env: {}, color: 'green' },
  };

  it('puts the name Cloud Run gave in every traffic entry and slot that named the asked one', () => {
    const renamed = renamedChange(change, 'svc-00002-xyz');
    expect(renamed.traffic.map((t) => t.revision)).toEqual([
      'svc-00001-abc',
      'svc-00002-xyz',
      'svc-00002-xyz',
    ]);
    expect(renamed.record.release?.candidate.revision).toBe('svc-00002-xyz');
    expect(renamed.record.stable.revision).toBe('svc-00001-abc');
    expect(JSON.stringify(renamed)).not.toContain('svc-r2');
    expect('deploy' in renamed).toBe(false);
  });

  it('leaves a change alone when the platform kept the asked name', () => {
    expect(renamedChange(change, 'svc-r2').record).toBe(change.record);
  });
});

describe('renamedRecord (a record read back after a deploy)', () => {
  const record = {
    stable: { revision: 'svc-00001-abc', image: 'i@sha256:1', color: 'blue' as const },
    release: null,
    failedImages: [],
    history: [],
  };
  const built = { ...record, stable: { ...record.stable, revision: 'svc-rb-op1' } };

  it('names the revision as Cloud Run did in a record built on the deploy’s', () => {
    expect(renamedRecord(built, 'svc-rb-op1', 'svc-00004-new')?.stable.revision).toBe(
      'svc-00004-new',
    );
  });

  it('is null for a record that does not name the asked revision (not built on the deploy’s)', () => {
    expect(renamedRecord(record, 'svc-rb-op1', 'svc-00004-new')).toBeNull();
  });
});

describe('pinnedTraffic (the deploy body never sends LATEST back)', () => {
  const name = 'projects/p/locations/l/services/svc';
  it('pins a LATEST target to the revision it serves now, so the candidate gets no user', () => {
    expect(
      pinnedTraffic({
        latestReadyRevision: `${name}/revisions/svc-00001-abc`,
        traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      }),
    ).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', percent: 100, revision: 'svc-00001-abc' },
    ]);
  });

  it('keeps revision targets and their tags as they are; drops LATEST when nothing is ready', () => {
    const revision = {
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const,
      revision: 'svc-00001-abc',
      percent: 100,
      tag: 'blue',
    };
    expect(
      pinnedTraffic({ latestReadyRevision: '', traffic: [revision, { type: 1, percent: 0 }] }),
    ).toEqual([revision]);
  });
});
