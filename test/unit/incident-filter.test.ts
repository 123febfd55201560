import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { classifyIncident } from '../../shared/domain/incident-filter.js';
import { parseIncidentNotification } from '../../shared/schemas/inbound/monitoring-incident.js';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const config = parseConfig(read('hello-world.config.json'));
const closed = read('monitoring-webhook-incident-closed.json');
const open = read('monitoring-webhook-incident-open.json');
const SERVICE = 'projects/my-project/locations/us-west1/services/hello-world';
const runResource = {
  type: 'cloud_run_revision',
  labels: {
    project_id: 'my-project',
    service_name: 'hello-world',
    revision_name: 'hello-world-00002-abc',
    location: 'us-west1',
    configuration_name: 'hello-world',
  },
};
const classify = (body: unknown) => classifyIncident(parseIncidentNotification(body), config);
const withIncident = (base: { incident: object; version: string }, patch: object) => ({
  ...base,
  incident: { ...base.incident, ...patch },
});

describe('classifyIncident', () => {
  it('ignores the doc example: a closed incident', () => {
    expect(classify(closed)).toEqual({ kind: 'ignored', reason: 'closed incident 0.opqiw61fsv7p' });
  });

  it('ignores the captured open incident: its policy names no service', () => {
    expect(classify(open)).toEqual({
      kind: 'ignored',
      reason:
        'policy "choonho-server-cpu-alert-policy-test" names no service: no cutover_service policy label and no resource service_name',
    });
  });

  it('reverts the service a Cloud Run revision incident names, with the failing revision', () => {
    expect(classify(withIncident(open, { resource: runResource }))).toEqual({
      kind: 'revert',
      service: SERVICE,
      incidentId: '0.mtdi83m6w8ao',
      policy: 'choonho-server-cpu-alert-policy-test',
      revision: 'hello-world-00002-abc',
    });
  });

  it.each([
    ['a bare id', 'hello-world'],
    ['a full name', SERVICE],
  ])('reverts the service the cutover_service policy label names as %s', (_how, label) => {
    expect(
      classify(withIncident(open, { policy_user_labels: { cutover_service: label } })),
    ).toMatchObject({ kind: 'revert', service: SERVICE, revision: null });
  });

  it('judges state case-insensitively and reads a missing state from ended_at', () => {
    const named = withIncident(open, { resource: runResource });
    expect(classify(withIncident(named, { state: 'OPEN' })).kind).toBe('revert');
    expect(classify(withIncident(named, { state: 'CLOSED' }))).toMatchObject({
      kind: 'ignored',
      reason: 'closed incident 0.mtdi83m6w8ao',
    });
    expect(classify(withIncident(named, { state: null, ended_at: 1675316000 })).kind).toBe(
      'ignored',
    );
    expect(classify(withIncident(named, { state: undefined, ended_at: null })).kind).toBe('revert');
  });

  it('judges a 1.1 fallback the same way', () => {
    const fallback = {
      ...withIncident(open, { resource: runResource }),
      version: '1.1',
      errors: [{ error: { code: 500, status: 'INTERNAL' } }],
    };
    expect(classify(fallback)).toMatchObject({ kind: 'revert', service: SERVICE });
  });

  it.each([
    [
      'a test notification',
      {
        version: 'test',
        incident: {
          state: 'OPEN',
          ended_at: 0,
          documentation: 'x',
          policy_user_labels: { cutover_service: 'hello-world' },
        },
      },
      'test notification',
    ],
    [
      'no incident id',
      withIncident(open, { incident_id: null, resource: runResource }),
      'no incident id',
    ],
    [
      'an unconfigured label',
      withIncident(open, {
        policy_user_labels: { cutover_service: 'other' },
        resource: runResource,
      }),
      'policy label cutover_service=other is not a configured service',
    ],
    [
      'a service in another project',
      withIncident(open, {
        resource: { ...runResource, labels: { ...runResource.labels, project_id: 'elsewhere' } },
      }),
      'resource service_name=hello-world in project elsewhere is not a configured service',
    ],
    [
      'a service in another region',
      withIncident(open, {
        resource: { ...runResource, labels: { ...runResource.labels, location: 'us-east1' } },
      }),
      'resource service_name=hello-world in project my-project is not a configured service',
    ],
  ])('ignores %s', (_name, body, reason) => {
    expect(classify(body)).toEqual({ kind: 'ignored', reason });
  });

  it('takes the scoping project when the resource has no project_id', () => {
    const labels = { service_name: 'hello-world' };
    expect(
      classify(
        withIncident(open, {
          scoping_project_id: 'my-project',
          resource: { type: 'cloud_run_revision', labels },
        }),
      ).kind,
    ).toBe('revert');
  });
});
