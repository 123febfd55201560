import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';

/**
 * The release page as Terraform deploys it: the `releasePage` HTTP function of ui/function.ts,
 * under the functions-framework (the same express app Cloud Functions runs), configured by
 * CUTOVER_CONFIG like the other functions. The emulator endpoint names a closed port: nothing here
 * reaches a Google API.
 */
const config = readFileSync(
  new URL('../../../examples/cutover.config.json', import.meta.url),
  'utf8',
);
const services = (JSON.parse(config) as { services: { service: string }[] }).services.map(
  (s) => s.service,
);
let server: Server;
let url: string;

beforeAll(async () => {
  process.env.CUTOVER_CONFIG = config;
  process.env.CUTOVER_EMULATOR_HOST = '127.0.0.1:9';
  await import('../../../ui/function.js');
  server = getTestServer('releasePage');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.CUTOVER_CONFIG;
  delete process.env.CUTOVER_EMULATOR_HOST;
  await new Promise((r) => server.close(r));
});

describe('the releasePage function', () => {
  it('serves the page and lists the configured services', async () => {
    expect(await (await fetch(`${url}/`)).text()).toContain('uPlot.iife.min.js');
    expect(await (await fetch(`${url}/api/services`)).json()).toEqual({ services });
  });

  it('reads an action body the framework has already parsed', async () => {
    const res = await fetch(
      `${url}/api/services/${encodeURIComponent(services[0]!)}/actions/pause`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 5 }),
      },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/string/);
  });

  it('names the missing config', async () => {
    const { releasePageFromEnv } = await import('../../../ui/function.js');
    expect(() => releasePageFromEnv({})).toThrow(ConfigError);
    expect(() => releasePageFromEnv({})).toThrow(/CUTOVER_CONFIG/);
  });
});
