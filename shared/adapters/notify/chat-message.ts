import type { Notice } from '../../domain/release-notice.js';

/**
 * A notice as a Google Chat webhook message: `text` (shown in notifications) and one `cardsV2`
 * card — a header (title, subtitle), a section of decoratedText facts, a section of the checks
 * as textParagraph, and a buttonList of openLink buttons.
 */
export function chatMessage(notice: Notice, cardId: string): ChatMessage {
  const widgets: ChatWidget[] = notice.facts.map((f) => ({
    decoratedText: { topLabel: f.label, text: f.value },
  }));
  const sections: ChatSection[] = [{ header: 'Release', widgets }];
  if (notice.checks.length)
    sections.push({
      header: 'Checks',
      widgets: notice.checks.map((c) => ({ textParagraph: { text: c } })),
    });
  if (notice.links.length)
    sections.push({
      widgets: [
        {
          buttonList: {
            buttons: notice.links.map((l) => ({
              text: l.text,
              onClick: { openLink: { url: l.url } },
            })),
          },
        },
      ],
    });
  return {
    text: `${notice.title}: ${notice.summary}`,
    cardsV2: [
      { cardId, card: { header: { title: notice.title, subtitle: notice.summary }, sections } },
    ],
  };
}

export type ChatWidget =
  | { decoratedText: { topLabel: string; text: string } }
  | { textParagraph: { text: string } }
  | { buttonList: { buttons: Array<{ text: string; onClick: { openLink: { url: string } } }> } };
export interface ChatSection {
  header?: string;
  widgets: ChatWidget[];
}
export interface ChatMessage {
  text: string;
  cardsV2: Array<{
    cardId: string;
    card: { header: { title: string; subtitle: string }; sections: ChatSection[] };
  }>;
}
