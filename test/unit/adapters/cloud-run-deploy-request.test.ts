import { describe, expect, it } from 'vitest';
import { deployRequest } from '../../../shared/adapters/gcp/cloud-run-masks.js';
import { initialRecord } from '../../../shared/domain/release-machine.js';

const name = 'projects/p/locations/l/services/svc';
const record = initialRecord({ revision: 'svc-00001-abc', image: 'i@sha256:1' });
const current = {
  name,
  latestReadyRevision: `${name}/revisions/svc-00002-def`,
  annotations: { 'owner.example/team': 'ml' },
  traffic: [
    {
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const,
      revision: 'svc-00001-abc',
      percent: 75,
      tag: 'blue',
    },
    {
      type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const,
      revision: 'svc-00002-def',
      percent: 25,
      tag: 'green',
    },
  ],
};

describe('the deploy request', () => {
  it('moves the existing revisions to the split decided (a superseded candidate back to 0) and carries the record', () => {
    const request = deployRequest(
      current,
      '"e1"',
      {},
      {
        traffic: [
          { revision: 'svc-00001-abc', percent: 100, tag: 'blue' },
          { revision: 'svc-r3', percent: 0, tag: 'green' },
        ],
        record,
        deployed: 'svc-r3',
      },
    );
    expect(request.updateMask?.paths).toEqual(['template', 'traffic', 'annotations']);
    expect(request.service.traffic).toEqual([
      {
        type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
        revision: 'svc-00001-abc',
        percent: 100,
        tag: 'blue',
      },
    ]);
    expect(request.service.annotations?.['owner.example/team']).toBe('ml');
    expect(
      Object.keys(request.service.annotations ?? {}).some((k) => k.startsWith('cutover.dev/')),
    ).toBe(true);
  });

  it('keeps the traffic as read, LATEST pinned, when the split names only the new revision', () => {
    const latest = {
      ...current,
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' as const, percent: 100 }],
    };
    const request = deployRequest(
      latest,
      '"e1"',
      {},
      {
        traffic: [{ revision: 'svc-r3', percent: 100, tag: 'blue' }],
        record,
        deployed: 'svc-r3',
      },
    );
    expect(request.service.traffic).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', percent: 100, revision: 'svc-00002-def' },
    ]);
  });
});
