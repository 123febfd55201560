/**
 * The release page as a Cloud Function (HTTP, entry point `releasePage`), deployed by
 * terraform/ui.tf with this file as its package main. Behind IAM: only members granted
 * run.invoker reach it, so every request carries a verified Google ID token, and its email is the
 * actor of the page's actions (ui/actor.ts). It reads and acts as the function's own service
 * account, with the config the other functions get (`CUTOVER_CONFIG`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as functions from '@google-cloud/functions-framework';
import { clientOptionsFromEnv } from '../shared/adapters/gcp/client-options.js';
import { gcpAdapters } from '../shared/adapters/wiring.js';
import { loadConfigFromEnv } from '../shared/config/load.js';
import type { Target } from '../cli/target.js';
import { pageHandler } from './server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The page's handler for every configured service, built from the function's environment. */
export function releasePageFromEnv(env: NodeJS.ProcessEnv = process.env): Handler {
  const config = loadConfigFromEnv(env);
  const adapters = gcpAdapters(clientOptionsFromEnv(env), config.predictionMetric, config);
  const target = (service: string): Target => ({
    kind: 'gcp',
    service,
    config,
    adapters,
    topics: config.topics,
  });
  return pageHandler({
    services: config.services.map((s) => s.service),
    source: {
      platform: adapters.platform(),
      metrics: adapters.metrics(),
      // The function keeps no event log: the page shows what the record keeps.
      events: async () => null,
    },
    target,
  });
}

let handler: Handler | null = null;

/** Built on the first request, so a bad config is answered (500 with its message), not a crash loop. */
export function releasePage(req: IncomingMessage, res: ServerResponse): void {
  try {
    handler ??= releasePageFromEnv();
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { message: (error as Error).message } }));
    return;
  }
  handler(req, res);
}

functions.http('releasePage', releasePage);
