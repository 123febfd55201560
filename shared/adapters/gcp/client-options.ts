import * as grpc from '@grpc/grpc-js';
import { googleAuthLibrary } from 'google-gax';
import type { ClientOptions } from 'google-gax';
import type { ClientConfig } from '@google-cloud/pubsub';

/** A local endpoint (the emulator) that every Google client talks to instead of googleapis.com. */
export interface EmulatorEndpoint {
  host: string;
  port: number;
}

/** Options for the GAPIC clients (Run, Monitoring, Artifact Registry) and for PubSub. */
export interface GoogleClientOptions {
  gapic: ClientOptions;
  pubsub: ClientConfig;
}

/**
 * Parses `host:port` (IPv6 as `[::1]:port`). Throws on anything else, so a typo in
 * `CUTOVER_EMULATOR_HOST` fails loudly instead of silently sending calls to Google.
 */
export function parseEndpoint(value: string): EmulatorEndpoint {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `CUTOVER_EMULATOR_HOST must be host:port (e.g. 127.0.0.1:8085), got "${value}"`,
    );
  }
  return { host, port };
}

/**
 * Client options for a local endpoint: plaintext gRPC, and a pass-through auth client so the
 * libraries never look for credentials or probe the GCE metadata server. google-gax's own copy of
 * google-auth-library provides the PassThroughClient, so it matches what the clients check for.
 */
export function emulatorClientOptions(
  endpoint: EmulatorEndpoint,
  projectId?: string,
): GoogleClientOptions {
  const sslCreds = grpc.credentials.createInsecure();
  const authClient = new googleAuthLibrary.PassThroughClient();
  const hostPort = endpoint.host.includes(':')
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
  return {
    gapic: { apiEndpoint: endpoint.host, port: endpoint.port, sslCreds, authClient },
    pubsub: {
      apiEndpoint: hostPort,
      projectId: projectId ?? 'cutover-local',
      sslCreds,
      authClient,
      emulatorMode: true,
    } as ClientConfig,
  };
}

/**
 * From the environment: `CUTOVER_EMULATOR_HOST=host:port` selects the emulator (project from
 * `GOOGLE_CLOUD_PROJECT`); otherwise the libraries' defaults (googleapis.com, Application Default
 * Credentials).
 */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GoogleClientOptions {
  const host = env.CUTOVER_EMULATOR_HOST;
  if (!host) return { gapic: {}, pubsub: {} };
  return emulatorClientOptions(parseEndpoint(host), env.GOOGLE_CLOUD_PROJECT);
}
