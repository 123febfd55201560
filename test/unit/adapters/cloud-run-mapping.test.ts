import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { protobuf } from 'google-gax';
import { describe, expect, it } from 'vitest';
import {
  plain,
  shortRevision,
  toRevisionInfo,
  toServiceView,
  type RunService,
} from '../../../shared/adapters/gcp/cloud-run-mapping.js';
import { mergeEnv, templateFrom } from '../../../shared/adapters/gcp/cloud-run-template.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8'));
const SERVICE = 'projects/p/locations/us-central1/services/model';

describe('toServiceView', () => {
  it('reads the real v2 capture: LATEST resolved, etag byte-for-byte, short names', () => {
    const raw = fixture('cloud-run-v2-service.json') as RunService;
    const view = toServiceView(raw);
    expect(view.etag).toBe(raw.etag);
    expect(view.etag.startsWith('"')).toBe(true);
    expect(view.traffic).toEqual([
      { revision: 'ejectrequest-00002-ruh', percent: 100, tag: null, url: null },
    ]);
    expect(view.latestReadyRevision).toBe('ejectrequest-00002-ruh');
    expect(view.record).toBeNull();
  });

  it('treats a missing percent as 0, normalises full names and keeps tag URLs', () => {
    const view = toServiceView({
      name: SERVICE,
      etag: '"e"',
      uri: 'https://model-abc-uc.a.run.app',
      latestReadyRevision: `${SERVICE}/revisions/model-00002-grn`,
      trafficStatuses: [
        {
          type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
          revision: 'model-00001-blu',
          percent: 100,
          tag: 'blue',
          uri: 'https://blue---model-abc-uc.a.run.app',
        },
        {
          type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
          revision: `${SERVICE}/revisions/model-00002-grn`,
          tag: 'green',
          uri: 'https://green---model-abc-uc.a.run.app',
        },
      ],
    });
    expect(view.traffic).toEqual([
      {
        revision: 'model-00001-blu',
        percent: 100,
        tag: 'blue',
        url: 'https://blue---model-abc-uc.a.run.app',
      },
      {
        revision: 'model-00002-grn',
        percent: 0,
        tag: 'green',
        url: 'https://green---model-abc-uc.a.run.app',
      },
    ]);
    expect(view.uri).toBe('https://model-abc-uc.a.run.app');
  });

  it('leaves out a LATEST target while no revision is ready', () => {
    expect(
      toServiceView({
        name: SERVICE,
        trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      }).traffic,
    ).toEqual([]);
  });
});

describe('plain', () => {
  it('turns an LRO-decoded message (numeric enums, Long int64) into strings', () => {
    const require = createRequire(import.meta.url);
    const root = protobuf.Root.fromJSON(
      require('@google-cloud/run/build/protos/protos.json') as protobuf.INamespace,
    );
    const Service = root.lookupType('google.cloud.run.v2.Service');
    const bytes = Service.encode(
      Service.fromObject({
        generation: '7',
        terminalCondition: { state: 3 },
        trafficStatuses: [{ type: 1, percent: 100 }],
      }),
    ).finish();
    const decoded = plain(Service.decode(bytes) as unknown as RunService);
    expect(decoded.generation).toBe('7');
    expect(decoded.terminalCondition?.state).toBe('CONDITION_FAILED');
    expect(decoded.trafficStatuses?.[0]?.type).toBe('TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST');
  });
});

describe('toRevisionInfo', () => {
  it.each([
    ['CONDITION_SUCCEEDED', false, 'ready'],
    ['CONDITION_SUCCEEDED', true, 'pending'],
    ['CONDITION_RECONCILING', true, 'pending'],
    ['CONDITION_FAILED', false, 'failed'],
  ] as const)('Ready %s (reconciling %s) is %s', (state, reconciling, expected) => {
    const info = toRevisionInfo({
      name: `${SERVICE}/revisions/model-00002-grn`,
      reconciling,
      containers: [{ image: 'img@sha256:1' }],
      conditions: [{ type: 'Ready', state, message: 'why' }],
    });
    expect(info).toEqual({
      name: 'model-00002-grn',
      image: 'img@sha256:1',
      state: expected,
      detail: 'why',
    });
  });
});

describe('templateFrom', () => {
  // The service's template as read: the last deploy named its revision (gcloud does).
  const from = {
    revision: 'model-00001-blu',
    serviceAccount: 'sa@p.iam.gserviceaccount.com',
    scaling: { minInstanceCount: 1, maxInstanceCount: 5 },
    timeout: { seconds: '60' },
    maxInstanceRequestConcurrency: 40,
    executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2' as const,
    vpcAccess: { connector: 'projects/p/locations/l/connectors/c' },
    volumes: [{ name: 'cfg', secret: { secret: 'cfg' } }],
    labels: {
      team: 'ml',
      'cutover-color': 'blue',
      'run.googleapis.com/startupProbeType': 'Default',
    },
    annotations: { 'run.googleapis.com/operation-id': 'x', 'team/x': 'y' },
    containers: [
      {
        image: 'old',
        env: [
          { name: 'BUCKET', value: 'blue' },
          { name: 'KEY', valueSource: { secretKeyRef: { secret: 'k', version: '2' } } },
        ],
        resources: { limits: { cpu: '2', memory: '1Gi' } },
        ports: [{ name: 'http1', containerPort: 8080 }],
        volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
      },
      { image: 'sidecar' },
    ],
  };

  it('copies the service template and changes only image, env and color label; clears the name', () => {
    const t = templateFrom(from, {
      revision: 'model-00002-grn',
      from: 'model-00001-blu',
      image: 'new',
      env: { BUCKET: 'green', COLOR: 'green' },
      color: 'green',
    });
    expect(t).toMatchObject({
      revision: '',
      serviceAccount: from.serviceAccount,
      scaling: from.scaling,
      timeout: from.timeout,
      maxInstanceRequestConcurrency: 40,
      executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
      vpcAccess: from.vpcAccess,
      volumes: from.volumes,
      labels: { team: 'ml', 'cutover-color': 'green' },
      annotations: { 'team/x': 'y' },
    });
    expect(t.containers?.[0]).toEqual({
      ...from.containers[0],
      image: 'new',
      env: [
        { name: 'BUCKET', value: 'green' },
        from.containers[0]?.env?.[1] ?? {},
        { name: 'COLOR', value: 'green' },
      ],
    });
    expect(t.containers?.[1]).toEqual({ image: 'sidecar' });
    expect(from.containers[0]?.image).toBe('old');
  });

  it('replaces a secret-backed variable of the same name with the plain value', () => {
    expect(
      mergeEnv([{ name: 'KEY', valueSource: { secretKeyRef: { secret: 'k' } } }], { KEY: 'v' }),
    ).toEqual([{ name: 'KEY', value: 'v' }]);
  });

  it('normalises revision names', () => {
    expect(shortRevision(`${SERVICE}/revisions/model-00001-blu`)).toBe('model-00001-blu');
    expect(shortRevision('model-00001-blu')).toBe('model-00001-blu');
  });
});
