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

/** Terraform's policies group by revision: the incident keeps project_id and revision_name only. */
const byRevision = {
  type: 'cloud_run_revision',
  labels: { project_id: 'my-project', revision_name: 'hello-world-00002-abc' },
};
const labelled = (label: string, resource: object = byRevision) =>
  withIncident(open, { policy_user_labels: { cutover_service: label }, resource });
const STARTED = new Date(1675315787 * 1000);

describe('classifyIncident', () => {
  it('ignores the doc example: a closed incident about a VM (its policy names no service)', () => {
    expect(classify(closed)).toEqual({
      kind: 'ignored',
      reason:
        'policy "Monitor-Project-Cluster" names no service: no cutover_service policy label and no resource service_name',
    });
  });

  it('ignores the captured open incident: its policy names no service', () => {
    expect(classify(open)).toEqual({
      kind: 'ignored',
      reason:
        'policy "choonho-server-cpu-alert-policy-test" names no service: no cutover_service policy label and no resource service_name',
    });
  });

  it('binds an incident of terraform’s policies (label + revision, no service_name) to the service, revision and start', () => {
    expect(classify(labelled('hello-world'))).toEqual({
      kind: 'opened',
      service: SERVICE,
      incidentId: '0.mtdi83m6w8ao',
      policy: 'choonho-server-cpu-alert-policy-test',
      revision: 'hello-world-00002-abc',
      startedAt: STARTED,
    });
  });

  it('binds a Cloud Run revision incident by its resource service_name when no label names one', () => {
    expect(classify(withIncident(open, { resource: runResource }))).toEqual({
      kind: 'opened',
      service: SERVICE,
      incidentId: '0.mtdi83m6w8ao',
      policy: 'choonho-server-cpu-alert-policy-test',
      revision: 'hello-world-00002-abc',
      startedAt: STARTED,
    });
  });

  it.each([
    ['a bare id', 'hello-world'],
    ['a full name', SERVICE],
  ])('accepts the cutover_service label as %s', (_how, label) => {
    expect(classify(labelled(label))).toMatchObject({ kind: 'opened', service: SERVICE });
  });

  it('reads state case-insensitively and a missing state from ended_at; a closed incident is bound too', () => {
    const named = labelled('hello-world');
    expect(classify(withIncident(named, { state: 'OPEN' })).kind).toBe('opened');
    expect(classify(withIncident(named, { state: 'CLOSED' }))).toMatchObject({
      kind: 'closed',
      service: SERVICE,
      incidentId: '0.mtdi83m6w8ao',
    });
    expect(classify(withIncident(named, { state: null, ended_at: 1675316000 })).kind).toBe(
      'closed',
    );
    expect(classify(withIncident(named, { state: undefined, ended_at: null })).kind).toBe('opened');
  });

  it('judges a 1.1 fallback the same way', () => {
    const fallback = {
      ...labelled('hello-world'),
      version: '1.1',
      errors: [{ error: { code: 500, status: 'INTERNAL' } }],
    };
    expect(classify(fallback)).toMatchObject({ kind: 'opened', service: SERVICE });
  });

  it('passes on a missing revision and start time as null', () => {
    const bare = labelled('hello-world', {
      type: 'cloud_run_revision',
      labels: { project_id: 'my-project' },
    });
    expect(classify(withIncident(bare, { started_at: null }))).toMatchObject({
      kind: 'opened',
      revision: null,
      startedAt: null,
    });
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
      'no incident id (open incident)',
    ],
    [
      'no project anywhere',
      withIncident(labelled('hello-world', { type: 'cloud_run_revision', labels: {} }), {
        scoping_project_id: null,
      }),
      'policy "choonho-server-cpu-alert-policy-test" names no project: no resource project_id and no scoping_project_id',
    ],
    [
      'an unconfigured label',
      labelled('other'),
      'policy label cutover_service=other in project my-project is not a configured service',
    ],
    [
      'another project’s service with a bare-id label (the forged incident)',
      labelled('hello-world', {
        ...byRevision,
        labels: { ...byRevision.labels, project_id: 'elsewhere' },
      }),
      'policy label cutover_service=hello-world in project elsewhere is not a configured service',
    ],
    [
      'a full-name label about a resource in another project',
      labelled(SERVICE, {
        ...byRevision,
        labels: { ...byRevision.labels, project_id: 'elsewhere' },
      }),
      `policy label cutover_service=${SERVICE} in project elsewhere: the incident is about project elsewhere, not my-project`,
    ],
    [
      'a label contradicted by the resource’s service_name',
      labelled('hello-world', {
        ...runResource,
        labels: { ...runResource.labels, service_name: 'billing' },
      }),
      `policy label cutover_service=hello-world in project my-project, but its resource is service billing: the incident is not about ${SERVICE}`,
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
    ).toBe('opened');
  });
});
