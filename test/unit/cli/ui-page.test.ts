import { afterEach, describe, expect, it } from 'vitest';
import { startReleasePage } from '../../../ui/server.js';
import { FakeMetrics } from '../../fakes/fake-metrics.js';
import { CliHarness, SERVICE } from './cli-harness.js';

describe('release page server', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function page(h: CliHarness) {
    const started = await startReleasePage({
      services: [SERVICE],
      source: {
        platform: h.platform,
        metrics: new FakeMetrics(),
        events: async () => h.bus.events('cutover-deployment-events'),
      },
      target: () => h.target,
      pacer: h.pacer,
    });
    close = started.close;
    return started.url;
  }

  it('serves the page, uPlot from node_modules, and the model of the release', async () => {
    const h = new CliHarness();
    await h.shifting();
    const url = await page(h);
    expect(await (await fetch(`${url}/`)).text()).toContain(
      '<script src="/assets/uPlot.iife.min.js">',
    );
    const uplot = await fetch(`${url}/assets/uPlot.iife.min.js`);
    expect([uplot.status, (await uplot.text()).length > 10_000]).toEqual([200, true]);
    const model = (await (
      await fetch(`${url}/api/services/${encodeURIComponent(SERVICE)}`)
    ).json()) as {
      view: { record: { release: { phase: string } } };
      timeline: Array<{ what: string }>;
      split: Array<{ percent: number }>;
    };
    expect(model.view.record.release.phase).toBe('shifting');
    expect(model.timeline.map((t) => t.what)).toEqual([
      'push of 2.0.0: provisioning',
      'provisioned',
      'smoke-passed',
      'step 1 at 10%',
    ]);
    expect(model.split.map((s) => s.percent)).toEqual([0, 10]);
  });

  it('a page action goes through the CLI path and records the actor from the ID token', async () => {
    const h = new CliHarness();
    await h.shifting();
    const url = await page(h);
    const token = [
      'x',
      Buffer.from(JSON.stringify({ email: 'ana@acme.com' })).toString('base64url'),
      'sig',
    ].join('.');
    const response = await fetch(
      `${url}/api/services/${encodeURIComponent(SERVICE)}/actions/pause`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'someone-else' }),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, outcome: 'done', by: 'ana@acme.com' });
    expect((await h.record())?.actions?.[0]).toMatchObject({ action: 'pause', by: 'ana@acme.com' });
  });

  it('an action that changes nothing answers 409 with why', async () => {
    const h = new CliHarness();
    const url = await page(h);
    const response = await fetch(
      `${url}/api/services/${encodeURIComponent(SERVICE)}/actions/promote`,
      { method: 'POST' },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ outcome: 'nothing-to-do' });
  });
});
