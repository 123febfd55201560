import { z } from 'zod';
import { parseInbound } from './issues.js';

export const INCIDENT_KIND = 'Cloud Monitoring incident notification';

const Text = z.string().nullish();
const Epoch = z.number({ error: 'expected Unix epoch seconds (number) or null' }).nullish();
/** Label maps: values are strings on the wire; numbers and booleans are tolerated and stringified. */
const Labels = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .nullish();

/** `open` | `closed`, compared case-insensitively (1.2 sends lowercase, test notifications `OPEN`). */
const State = z
  .string()
  .nullish()
  .transform((s, ctx) => {
    if (s === null || s === undefined) return null;
    const lower = s.toLowerCase();
    if (lower === 'open' || lower === 'closed') return lower;
    ctx.addIssue({
      code: 'custom',
      message: `expected "open" or "closed" (any case), got ${JSON.stringify(s)}`,
    });
    return z.NEVER;
  });

/**
 * The incident of a webhook or Pub/Sub-channel notification (schema 1.2; 1.1 has a subset).
 * Every field is optional and nullable: doc revisions and test notifications differ. Unknown keys kept.
 */
export const Incident = z.looseObject(
  {
    incident_id: Text,
    scoping_project_id: Text,
    scoping_project_number: z.union([z.number(), z.string()]).nullish(),
    url: Text,
    severity: Text,
    started_at: Epoch,
    /** null while open; 0 in test notifications. */
    ended_at: Epoch,
    state: State,
    resource_id: Text,
    resource_name: Text,
    resource_display_name: Text,
    resource_type_display_name: Text,
    /** The MonitoredResource; for `cloud_run_revision`: project_id, service_name, revision_name, location. */
    resource: z.looseObject({ type: Text, labels: Labels }).nullish(),
    metric: z.looseObject({ type: Text, displayName: Text, labels: Labels }).nullish(),
    metadata: z.looseObject({ system_labels: Labels, user_labels: Labels }).nullish(),
    policy_name: Text,
    policy_user_labels: Labels,
    condition_name: Text,
    condition: z.looseObject({ name: Text, displayName: Text }).nullish(),
    /** Strings on the wire ("0.9"), not numbers. */
    threshold_value: Text,
    observed_value: Text,
    /** An object in 1.2; a plain string in test notifications. */
    documentation: z
      .union([
        z.string(),
        z.looseObject({
          content: Text,
          mime_type: Text,
          subject: Text,
          links: z.array(z.looseObject({ displayName: Text, url: Text })).nullish(),
        }),
      ])
      .nullish(),
    summary: Text,
  },
  { error: (iss) => (iss.input === undefined ? 'required' : 'expected an object') },
);
export type Incident = z.infer<typeof Incident>;

/** `errors[]` of a 1.1 fallback ("Failed to render as 1.2; downgrading to 1.1."). */
const RenderError = z.looseObject({
  error: z.looseObject({ code: z.number().nullish(), status: Text, message: Text }).nullish(),
});

/**
 * `{ version, incident }`. Versions: "1.2"; "1.1", sent with `errors[]` when rendering 1.2 failed
 * (judged the same way); "test", the channel's test button, which never acts. Other versions are
 * rejected rather than guessed at.
 */
export const IncidentNotification = z.looseObject({
  version: z.enum(['1.2', '1.1', 'test'], {
    error: (iss) => (iss.input === undefined ? 'required' : 'expected "1.2", "1.1" or "test"'),
  }),
  incident: Incident,
  errors: z.array(RenderError).nullish(),
});
export type IncidentNotification = z.infer<typeof IncidentNotification>;

/** Validates a notification body; throws InvalidPayloadError naming each wrong field. */
export function parseIncidentNotification(input: unknown): IncidentNotification {
  return parseInbound(IncidentNotification, INCIDENT_KIND, input);
}
