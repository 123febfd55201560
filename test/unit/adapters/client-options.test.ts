import { describe, expect, it } from 'vitest';
import { googleAuthLibrary } from 'google-gax';
import {
  clientOptionsFromEnv,
  emulatorClientOptions,
  parseEndpoint,
} from '../../../shared/adapters/gcp/client-options.js';

describe('client options', () => {
  it('uses the libraries’ defaults (ADC) without CUTOVER_EMULATOR_HOST', () => {
    expect(clientOptionsFromEnv({})).toEqual({ gapic: {}, pubsub: {} });
  });

  it('points every client at the emulator with plaintext and a pass-through auth client', () => {
    const o = clientOptionsFromEnv({
      CUTOVER_EMULATOR_HOST: '127.0.0.1:8086',
      GOOGLE_CLOUD_PROJECT: 'demo',
    });
    expect(o.gapic).toMatchObject({ apiEndpoint: '127.0.0.1', port: 8086 });
    expect(o.gapic.sslCreds?._isSecure()).toBe(false);
    expect(o.gapic.authClient).toBeInstanceOf(googleAuthLibrary.PassThroughClient);
    expect(o.pubsub).toMatchObject({ apiEndpoint: '127.0.0.1:8086', projectId: 'demo' });
  });

  it('brackets IPv6 hosts for Pub/Sub', () => {
    expect(emulatorClientOptions(parseEndpoint('[::1]:9000')).pubsub.apiEndpoint).toBe(
      '[::1]:9000',
    );
  });

  it.each(['localhost', '127.0.0.1:', ':80', '127.0.0.1:99999', 'http://127.0.0.1:80'])(
    'rejects %s',
    (value) => {
      expect(() => parseEndpoint(value)).toThrow(/CUTOVER_EMULATOR_HOST/);
    },
  );
});
