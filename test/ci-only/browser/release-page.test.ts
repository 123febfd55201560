import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../local/stack.js';
import { plumbingConfig } from '../../e2e/stack-helpers.js';

/**
 * The release page as a person sees it, in Debian's Chromium, against a local stack during a
 * real release: phase, split, one chart per check with data points, and a button that works.
 * A screenshot of each state goes to ci-output/browser/.
 */
const SHOTS = join(process.cwd(), 'ci-output', 'browser');
const root = mkdtempSync(join(tmpdir(), 'cutover-browser-'));
let stack: Stack;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const config = plumbingConfig();
  // Slow bake so the release stays in shifting long enough to look at and pause.
  config.services = config.services.map((s) => ({ ...s, bakeSeconds: 8 }));
  stack = await startStack({ stateDir: join(root, 'state'), fresh: true, config, alerts: false });
  // A fresh --user-data-dir: playwright takes it as the persistent context's directory.
  browser = await chromium.launchPersistentContext(join(root, 'chromium'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(root, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('release page in Chromium', () => {
  it('shows the live release: phase, split, a chart per check; pause and resume work; ends promoted', async () => {
    const url = stack.endpoints.ui;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await page.goto(url!);
    await page.waitForFunction(
      () => document.getElementById('phase')?.textContent === 'no release',
    );
    await shot('1-before-release');

    await stack.pushImage('2.0.0');
    await page.waitForFunction(
      () => document.getElementById('phase')?.textContent?.startsWith('shifting'),
      null,
      { timeout: 90_000 },
    );
    await expect
      .poll(() => page.textContent('#split'), { timeout: 30_000 })
      .toMatch(/green \d+% · blue \d+%|blue \d+% · green \d+%/);
    await shot('2-shifting');

    // A chart per check, each with at least one judged tick drawn by uPlot.
    await page.waitForFunction(
      () =>
        ['error-rate', 'p95-latency', 'prediction-drift'].every(
          (c) =>
            Number(
              document.querySelector(`.chart[data-check="${c}"]`)?.getAttribute('data-points') ?? 0,
            ) > 0,
        ),
      null,
      { timeout: 90_000 },
    );
    expect(await page.locator('.chart[data-check] canvas').count()).toBeGreaterThanOrEqual(3);
    expect(Number(await page.getAttribute('#chart-split', 'data-points'))).toBeGreaterThan(1);
    await shot('3-checks');

    await page.fill('#by', 'ana@browser');
    await page.click('button[data-action="pause"]');
    await expect
      .poll(() => page.textContent('#action-result'), { timeout: 60_000 })
      .toMatch(/^paused /);
    await page.waitForFunction(
      () => document.getElementById('phase')?.textContent === 'shifting (paused)',
    );
    await expect
      .poll(() => page.textContent('#timeline'), { timeout: 10_000 })
      .toContain('by ana@browser');
    await shot('4-paused');

    await page.click('button[data-action="resume"]');
    await expect
      .poll(() => page.textContent('#action-result'), { timeout: 60_000 })
      .toMatch(/^resumed /);
    await page.waitForFunction(
      () => document.getElementById('phase')?.textContent === 'promoted',
      null,
      { timeout: 180_000 },
    );
    await expect
      .poll(() => page.textContent('#releases'), { timeout: 10_000 })
      .toContain('promoted');
    await shot('5-promoted');
  });
});
