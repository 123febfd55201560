import dns from 'node:dns';
import { lookup as namedLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, NetworkGuardError, takeViolations } from '../setup/network-guard.js';

const TEST_NET = '192.0.2.1'; // RFC 5737 TEST-NET-1: never routed

/** Runs `provoke`, then asserts it recorded exactly the expected kind of violation. */
async function expectRefused(kind: 'connect' | 'dns', provoke: () => unknown): Promise<unknown> {
  let outcome: unknown;
  try {
    outcome = await provoke();
  } catch (error) {
    outcome = error;
  }
  const violations = takeViolations();
  expect(violations.length).toBeGreaterThan(0);
  expect(violations.every((v) => v.kind === kind)).toBe(true);
  return outcome;
}

describe('network guard', () => {
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => expect(takeViolations()).toEqual([]));

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.1', false],
    ['example.com', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it('refuses a raw TCP connect to TEST-NET before the socket gets a handle', async () => {
    const socket = new net.Socket();
    const error = await expectRefused('connect', () => socket.connect(80, TEST_NET));
    expect(error).toBeInstanceOf(NetworkGuardError);
    expect(socket.connecting).toBe(false);
    expect((socket as unknown as { _handle: unknown })._handle).toBeNull();
    socket.destroy();
  });

  it('refuses a connect by hostname before any lookup happens', async () => {
    const error = await expectRefused('connect', () =>
      net.connect({ host: 'example.com', port: 80 }),
    );
    expect(error).toBeInstanceOf(NetworkGuardError);
  });

  it('refuses http and https requests', async () => {
    const viaHttp = await expectRefused('connect', () => http.get(`http://${TEST_NET}/`));
    expect(viaHttp).toBeInstanceOf(NetworkGuardError);
    const viaHttps = await expectRefused('connect', () => https.get(`https://${TEST_NET}/`));
    expect(viaHttps).toBeInstanceOf(NetworkGuardError);
  });

  it('refuses fetch (undici) with the guard error as the cause', async () => {
    const error = await expectRefused('connect', () => fetch(`http://${TEST_NET}/`));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toBeInstanceOf(NetworkGuardError);
  });

  it('refuses a grpc-js channel to a non-loopback address', async () => {
    // One attempt only, so no reconnect lands in a later test.
    const client = new grpc.Client(`${TEST_NET}:443`, grpc.credentials.createInsecure(), {
      'grpc.initial_reconnect_backoff_ms': 600_000,
      'grpc.max_reconnect_backoff_ms': 600_000,
    });
    const channel = client.getChannel();
    const state = await expectRefused('connect', async () => {
      let current = channel.getConnectivityState(true);
      while (current !== grpc.connectivityState.TRANSIENT_FAILURE) {
        await new Promise((resolve) => channel.watchConnectivityState(current, Infinity, resolve));
        current = channel.getConnectivityState(false);
      }
      return current;
    });
    client.close();
    expect(state).toBe(grpc.connectivityState.TRANSIENT_FAILURE);
  });

  it('refuses DNS lookups of public names in every API', async () => {
    expect(
      await expectRefused('dns', () => dns.lookup('example.com', () => undefined)),
    ).toBeInstanceOf(NetworkGuardError);
    expect(
      await expectRefused('dns', () => namedLookup('example.com', () => undefined)),
    ).toBeInstanceOf(NetworkGuardError);
    expect(await expectRefused('dns', () => dns.promises.lookup('example.com'))).toBeInstanceOf(
      NetworkGuardError,
    );
    expect(await expectRefused('dns', () => dns.promises.resolveTxt('example.com'))).toBeInstanceOf(
      NetworkGuardError,
    );
    expect(
      await expectRefused('dns', () => new dns.promises.Resolver().resolve4('example.com')),
    ).toBeInstanceOf(NetworkGuardError);
    expect(
      await expectRefused('dns', () => dns.resolve4('example.com', () => undefined)),
    ).toBeInstanceOf(NetworkGuardError);
  });

  it('lets loopback through: fetch, http by name, and DNS of localhost', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(`http://localhost:${port}/`, (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(body).toBe('ok');
    expect((await dns.promises.lookup('localhost')).address).toMatch(/^(127\.|::1$)/);
  });
});
