import type { Notice } from '../../domain/release-notice.js';

/**
 * A notice as a Slack incoming-webhook message: `text` (the notification fallback) and Block
 * Kit `blocks` — a header (plain_text, ≤ 150 chars), a mrkdwn section (≤ 3000), a section of
 * `fields` (≤ 10, each ≤ 2000), the checks, and an actions block of link buttons (text ≤ 75).
 */
export function slackMessage(notice: Notice): SlackMessage {
  const icon = {
    good: ':white_check_mark:',
    bad: ':rotating_light:',
    warning: ':warning:',
    info: ':information_source:',
  }[notice.tone];
  const cut = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max - 1)}…` : text;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(notice.title, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(`${icon} ${notice.summary}`, 3000) } },
    {
      type: 'section',
      fields: notice.facts
        .slice(0, 10)
        .map((f) => ({ type: 'mrkdwn' as const, text: cut(`*${f.label}*\n${f.value}`, 2000) })),
    },
  ];
  if (notice.checks.length)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(notice.checks.join('\n'), 3000) },
    });
  if (notice.links.length)
    blocks.push({
      type: 'actions',
      elements: notice.links.slice(0, 25).map((l) => ({
        type: 'button' as const,
        text: { type: 'plain_text' as const, text: cut(l.text, 75) },
        url: l.url,
      })),
    });
  return { text: cut(`${notice.title}: ${notice.summary}`, 3000), blocks };
}

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'section'; fields: Mrkdwn[] }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: PlainText; url: string }> };
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
