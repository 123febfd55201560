import { createServer, type Server } from 'node:http';
import { z } from 'zod';

const plain = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const mrkdwn = (max: number) =>
  z.strictObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max) });

/**
 * Slack incoming webhook payload as documented: `text` (the fallback, required with blocks for
 * notifications) and Block Kit blocks (≤ 50): header (plain_text ≤ 150), section (text ≤ 3000 or
 * fields ≤ 10 × 2000), actions (elements ≤ 25; button text plain_text ≤ 75, url ≤ 3000).
 */
export const SlackPayload = z.strictObject({
  text: z.string().min(1),
  blocks: z
    .array(
      z.union([
        z.strictObject({ type: z.literal('header'), text: plain(150) }),
        z.strictObject({ type: z.literal('section'), text: mrkdwn(3000) }),
        z.strictObject({
          type: z.literal('section'),
          fields: z.array(mrkdwn(2000)).min(1).max(10),
        }),
        z.strictObject({
          type: z.literal('actions'),
          elements: z
            .array(
              z.strictObject({
                type: z.literal('button'),
                text: plain(75),
                url: z.url().max(3000),
              }),
            )
            .min(1)
            .max(25),
        }),
      ]),
    )
    .max(50),
});

const widget = z.union([
  z.strictObject({
    decoratedText: z.strictObject({ topLabel: z.string(), text: z.string().min(1) }),
  }),
  z.strictObject({ textParagraph: z.strictObject({ text: z.string().min(1) }) }),
  z.strictObject({
    buttonList: z.strictObject({
      buttons: z
        .array(
          z.strictObject({
            text: z.string().min(1),
            onClick: z.strictObject({ openLink: z.strictObject({ url: z.url() }) }),
          }),
        )
        .min(1),
    }),
  }),
]);

/** Google Chat message (webhook): `text` and `cardsV2[{cardId, card: {header, sections[{header?, widgets}]}}]`. */
export const ChatPayload = z.strictObject({
  text: z.string().min(1),
  cardsV2: z
    .array(
      z.strictObject({
        cardId: z.string().min(1),
        card: z.strictObject({
          header: z.strictObject({ title: z.string().min(1), subtitle: z.string().optional() }),
          sections: z
            .array(
              z.strictObject({ header: z.string().optional(), widgets: z.array(widget).min(1) }),
            )
            .min(1),
        }),
      }),
    )
    .min(1),
});

export interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
  problems: string[];
}

/**
 * A local receiver for `/slack`, `/chat`: checks each payload against the documented shape and
 * answers as the services do (Slack `200 ok`, Chat `200` with the message; `400` on a bad shape).
 * `failNext(status)` makes the next answer fail with that status.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly server: Server;
  private failures: number[] = [];
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const schema = req.url === '/slack' ? SlackPayload : ChatPayload;
        const parsed = schema.safeParse(body);
        const problems = parsed.success
          ? []
          : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        this.received.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body,
          problems,
        });
        const fail = this.failures.shift();
        if (fail) return void res.writeHead(fail).end('failure');
        if (problems.length) return void res.writeHead(400).end('invalid_payload');
        if (req.url === '/slack')
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ name: 'spaces/A/messages/1' }));
      });
    });
  }

  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
