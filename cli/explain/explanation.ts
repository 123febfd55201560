/** The payload kinds `cutover explain` recognises (after unwrapping any Pub/Sub envelope). */
export type PayloadKind =
  | 'artifact-registry-notification'
  | 'monitoring-incident'
  | 'rollback-request'
  | 'deployment-event';

/** How the payload arrived, when it was wrapped. */
export type Envelope = 'pubsub-push' | 'cloudevent' | 'cloudevent-binary' | 'background-event';

/** What cutover would do; `ignore` covers every acknowledged-and-logged no-op. */
export type Action =
  | 'start-release'
  | 'ignore'
  | 'revert'
  | 'rollback'
  | 'smoke-test'
  | 'first-step'
  | 'analyse'
  | 'promote'
  | 'pause'
  | 'resume'
  | 'retry';

/** One answer of `cutover explain`: `detail` is the line printed without `--json`. */
export interface Explanation {
  kind: PayloadKind;
  action: Action;
  detail: string;
  /** Present when the payload came inside a Pub/Sub delivery. */
  envelope?: {
    type: Envelope;
    messageId: string;
    publishTime: string;
    subscription: string | null;
  };
}

export const ignore = (kind: PayloadKind, reason: string): Explanation => ({
  kind,
  action: 'ignore',
  detail: `ignored: ${reason}`,
});
