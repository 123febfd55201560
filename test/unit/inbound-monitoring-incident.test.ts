import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../../shared/errors.js';
import { parseIncidentNotification } from '../../shared/schemas/inbound/monitoring-incident.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const closed = fixture('monitoring-webhook-incident-closed.json');
const open = fixture('monitoring-webhook-incident-open.json');

function issuesOf(input: unknown): string[] {
  try {
    parseIncidentNotification(input);
  } catch (e) {
    if (e instanceof InvalidPayloadError) return e.issues;
    throw e;
  }
  return [];
}

describe('Cloud Monitoring incident notification', () => {
  it('accepts the 1.2 doc example (closed) with its fields typed as on the wire', () => {
    const n = parseIncidentNotification(closed);
    expect(n.version).toBe('1.2');
    expect(n.incident).toMatchObject({
      incident_id: '0.opqiw61fsv7p',
      state: 'closed',
      started_at: 1577840461,
      ended_at: 1577877071,
      threshold_value: '0.9',
      observed_value: '0.835',
      scoping_project_number: 12345,
      resource: { type: 'gce_instance', labels: { project_id: 'internal-project' } },
      policy_user_labels: { 'user-label-1': 'important label' },
    });
    expect(n.incident.documentation).toMatchObject({
      mime_type: 'text/markdown',
      subject: 'ALERT - No severity',
    });
  });

  it('accepts the captured open incident (ended_at null, resource labels reduced to project_id)', () => {
    const n = parseIncidentNotification(open);
    expect(n.incident).toMatchObject({
      state: 'open',
      ended_at: null,
      incident_id: '0.mtdi83m6w8ao',
    });
    expect(n.incident.resource?.labels).toEqual({ project_id: 'xxxxxxxxxxxxxxxxxxxxxxxx' });
  });

  it('normalises state case-insensitively and accepts a test notification with a string documentation', () => {
    const test = {
      version: 'test',
      incident: {
        state: 'OPEN',
        ended_at: 0,
        documentation: 'Test notification',
        policy_name: 'p',
      },
    };
    expect(parseIncidentNotification(test).incident).toMatchObject({
      state: 'open',
      documentation: 'Test notification',
    });
    expect(
      parseIncidentNotification({ ...closed, incident: { ...closed.incident, state: 'Closed' } })
        .incident.state,
    ).toBe('closed');
  });

  it('treats every incident field as optional and nullable', () => {
    expect(parseIncidentNotification({ version: '1.2', incident: {} }).incident.state).toBeNull();
    const nulls = Object.fromEntries(Object.keys(closed.incident).map((k) => [k, null]));
    expect(
      parseIncidentNotification({ version: '1.2', incident: nulls }).incident.incident_id,
    ).toBeNull();
  });

  it('accepts a 1.1 fallback with its errors[]', () => {
    const fallback = {
      version: '1.1',
      errors: [
        {
          error: {
            code: 500,
            status: 'INTERNAL',
            message: 'Failed to render as 1.2; downgrading to 1.1.',
          },
        },
      ],
      incident: {
        incident_id: 'x',
        state: 'open',
        resource_name: 'r',
        policy_name: 'p',
        started_at: 1,
        ended_at: null,
        summary: 's',
      },
    };
    expect(parseIncidentNotification(fallback).errors?.[0]?.error?.status).toBe('INTERNAL');
  });

  it('stringifies numeric and boolean label values', () => {
    const n = parseIncidentNotification({
      version: '1.2',
      incident: { metric: { labels: { code: 500, ok: false } } },
    });
    expect(n.incident.metric?.labels).toEqual({ code: '500', ok: 'false' });
  });

  it.each([
    [{ version: '1.2' }, 'incident: required'],
    [{ ...closed, incident: null }, 'incident: expected an object'],
    [{ incident: closed.incident }, 'version: required'],
    [{ ...closed, version: '2.0' }, 'version: expected "1.2", "1.1" or "test"'],
    [{ ...closed, version: 1.2 }, 'version: expected "1.2", "1.1" or "test"'],
    [
      { ...closed, incident: { ...closed.incident, state: 'acknowledged' } },
      'incident.state: expected "open" or "closed" (any case), got "acknowledged"',
    ],
    [
      { ...closed, incident: { ...closed.incident, started_at: '1577840461' } },
      'incident.started_at: expected Unix epoch seconds (number) or null',
    ],
    [
      { ...closed, incident: { ...closed.incident, threshold_value: 0.9 } },
      'incident.threshold_value: Invalid input: expected string, received number',
    ],
    [
      { ...closed, incident: { ...closed.incident, policy_user_labels: ['a'] } },
      'incident.policy_user_labels: Invalid input: expected record, received array',
    ],
    [
      { ...closed, incident: { ...closed.incident, documentation: 7 } },
      'incident.documentation: Invalid input',
    ],
  ])('rejects a malformed notification naming the field (%#)', (input, issue) => {
    expect(issuesOf(input)).toContain(issue);
  });
});
