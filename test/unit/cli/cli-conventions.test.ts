import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcloudDefaults } from '../../../cli/gcloud-defaults.js';
import { parseDuration } from '../../../cli/pacer.js';
import { assertReachable, assertStackRunning } from '../../../cli/reachable.js';
import { reportFailure } from '../../../cli/report.js';
import { requester, resolveService } from '../../../cli/target.js';
import { runValidate } from '../../../cli/validate.js';
import { CUTOVER_VERSION } from '../../../cli/version.js';
import { NoLocalStackError } from '../../../local/endpoints.js';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
  };
};

describe('gcloud conventions', () => {
  it('reads the active gcloud configuration: project, run/region, account', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcloud-'));
    mkdirSync(join(dir, 'configurations'));
    writeFileSync(join(dir, 'active_config'), 'work\n');
    writeFileSync(
      join(dir, 'configurations', 'config_work'),
      '[core]\nproject = acme-prod\naccount = ana@acme.com\n\n[run]\nregion = europe-west1\n',
    );
    expect(gcloudDefaults({ CLOUDSDK_CONFIG: dir })).toEqual({
      project: 'acme-prod',
      region: 'europe-west1',
      account: 'ana@acme.com',
    });
    expect(gcloudDefaults({ CLOUDSDK_CONFIG: dir, CLOUDSDK_CORE_PROJECT: 'other' }).project).toBe(
      'other',
    );
    expect(gcloudDefaults({ CLOUDSDK_CONFIG: join(dir, 'none') })).toEqual({
      project: null,
      region: null,
      account: null,
    });
  });

  it('builds the full name of a bare id from --project and --region', () => {
    expect(resolveService('leakage-model', null, { project: 'acme', region: 'us-east1' })).toBe(
      'projects/acme/locations/us-east1/services/leakage-model',
    );
    expect(() => resolveService('leakage-model', null, { project: 'acme', region: null })).toThrow(
      /give --project and --region/,
    );
  });

  it('the actor is --by, else the gcloud account, else $USER@cutover-cli', () => {
    expect(requester('bo', { account: 'ana@acme.com' })).toBe('bo');
    expect(requester(undefined, { account: 'ana@acme.com' })).toBe('ana@acme.com');
    expect(requester(undefined, { account: null })).toMatch(/@cutover-cli$/);
  });

  it('durations as gcloud writes them', () => {
    expect([
      parseDuration('30m'),
      parseDuration('90s'),
      parseDuration('2h'),
      parseDuration('15'),
    ]).toEqual([1_800_000, 90_000, 7_200_000, 15_000]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('--version is the package version', () => {
    expect(CUTOVER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('errors a user can act on', () => {
  it('missing credentials: one line saying to log in, JSON when asked', async () => {
    const c = capture();
    const noAdc = new Error('wrapped', {
      cause: new Error('Could not load the default credentials. Browse to https://…'),
    });
    expect(await reportFailure(() => Promise.reject(noAdc), { io: c.io })).toBe(1);
    expect(c.err).toEqual([
      'cutover: no Google credentials: run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS), then try again\n',
    ]);
    const j = capture();
    await reportFailure(() => Promise.reject(noAdc), { io: j.io, json: true });
    expect(JSON.parse(j.err.join(''))).toMatchObject({ error: { kind: 'NoCredentials' } });
  });

  it('a stopped local stack: its pid is gone', () => {
    const endpoints = { pid: 2 ** 22 + 12345, stateDir: '/tmp/x' } as Parameters<
      typeof assertStackRunning
    >[0];
    expect(() => assertStackRunning(endpoints)).toThrow(NoLocalStackError);
    expect(() => assertStackRunning(endpoints)).toThrow(/is not running/);
  });

  it('an emulator nobody listens on is refused at once, one that listens is reachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await expect(assertReachable({ host: '127.0.0.1', port }, 'emulator')).resolves.toBeUndefined();
    await new Promise((r) => server.close(r));
    await expect(assertReachable({ host: '127.0.0.1', port }, 'the local stack')).rejects.toThrow(
      /cannot reach the local stack at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });
});

describe('cutover validate', () => {
  it('names every problem of a bad config, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ services: [{ service: 'x', steps: [50, 10] }] }));
    const c = capture();
    expect(runValidate({ config: file, json: true }, c.io)).toBe(1);
    const result = JSON.parse(c.out.join('')) as { problems: string[] };
    expect(result.problems).toEqual([
      expect.stringMatching(/^services\.0\.service: must be a full Cloud Run service name/),
      expect.stringMatching(/^services\.0\.image:/),
      'services.0.steps: steps must rise and end at 100',
    ]);
  });

  it('a good config: exit 0 and its services', () => {
    const c = capture();
    expect(runValidate({ config: 'test/fixtures/hello-world.config.json' }, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/is valid: 2 service\(s\)/);
  });
});
