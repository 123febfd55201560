import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRoute } from '../../local/platform/api-paths.js';
import { startRouter, type Upstream } from '../../local/platform/router.js';
import { tagOfVersion } from '../../shared/domain/version-tag.js';

describe('apiRoute: the load balancer URL map, locally', () => {
  const known = (v: string) => v === 'v1' || v === 'v2';
  it.each([
    ['/api/v2/predict', { kind: 'version', version: 'v2', path: '/predict' }],
    ['/api/v2/predict?x=1', { kind: 'version', version: 'v2', path: '/predict?x=1' }],
    ['/api/v2', { kind: 'version', version: 'v2', path: '/' }],
    ['/api/v2?x=1', { kind: 'version', version: 'v2', path: '/?x=1' }],
    ['/api/predict', { kind: 'split', path: '/predict' }],
    ['/api/v9/predict', { kind: 'split', path: '/v9/predict' }],
    ['/api', { kind: 'split', path: '/' }],
    ['/predict', { kind: 'split', path: '/predict' }],
    ['/apiary/v2', { kind: 'split', path: '/apiary/v2' }],
  ])('%s → %j', (url, route) => {
    expect(apiRoute(url, '/api', known)).toEqual(route);
  });

  it('without a prefix nothing is rewritten', () => {
    expect(apiRoute('/v2/predict', '', known)).toEqual({ kind: 'split', path: '/v2/predict' });
  });
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A revision that answers with its name and the path it received. */
async function revision(name: string): Promise<Upstream> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ revision: name, path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

describe('router: versioned API paths', () => {
  it('sends /api/vN to the revision tagged with vN, /api/* to the split, both rewritten', async () => {
    const upstreams: Record<string, Upstream> = {
      stable: await revision('stable'),
      candidate: await revision('candidate'),
    };
    const router = await startRouter({
      upstream: (r) => upstreams[r] ?? null,
      api: { prefix: '/api', tagOf: tagOfVersion },
    });
    cleanups.push(() => router.close());
    router.setTable({
      split: [{ revision: 'stable', percent: 100 }],
      tags: { blue: 'stable', green: 'candidate', 'api-v1': 'stable', 'api-v2': 'candidate' },
    });
    const get = async (path: string) => (await fetch(`${router.url}${path}`)).json();
    expect(await get('/api/v2/predict')).toEqual({ revision: 'candidate', path: '/predict' });
    expect(await get('/api/v1/predict')).toEqual({ revision: 'stable', path: '/predict' });
    expect(await get('/api/predict')).toEqual({ revision: 'stable', path: '/predict' });
    expect(await get('/predict')).toEqual({ revision: 'stable', path: '/predict' });

    // The version tag moves (a rollback points v2 at the stable): the next request follows it.
    router.setTable({
      split: [{ revision: 'stable', percent: 100 }],
      tags: { blue: 'stable', green: 'candidate', 'api-v1': 'stable', 'api-v2': 'stable' },
    });
    expect(await get('/api/v2/predict')).toEqual({ revision: 'stable', path: '/predict' });
  });
});
