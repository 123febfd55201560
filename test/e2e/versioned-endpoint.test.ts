import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { SAMPLE_FEATURES, SAMPLE_SERVICE } from '../../local/local-config.js';
import { startStack } from '../../local/stack.js';
import { parseRollbackRequest } from '../../shared/schemas/inbound/rollback-request.js';
import { phaseOf, platformOn, plumbingConfig, waitFor } from './stack-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cutover-versioned-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `curl -X POST ROUTER/api/v2/predict`: the model version that answered, five times. */
async function versionsAt(url: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SAMPLE_FEATURES),
    });
    const body = (await res.json()) as { model_version?: string };
    seen.push(`${res.status} ${body.model_version ?? '?'}`);
  }
  return seen;
}

describe('the versioned endpoint on the local router', () => {
  it(
    '/api/v2/predict reaches the candidate during the release and the stable after a rollback',
    { timeout: 150_000 },
    async () => {
      const base = plumbingConfig();
      const config = {
        ...base,
        services: base.services.map((s) => ({
          ...s,
          steps: [50, 100],
          bakeSeconds: 600, // stays at 50% until the rollback
          smoke: { ...s.smoke, via: 'versioned-path' as const },
        })),
      };
      const stack = await startStack({
        stateDir: join(root, 'stack'),
        fresh: true,
        config,
        alerts: false,
        logger: memoryLogger(),
      });
      const { platform, close } = platformOn(stack.endpoints.emulator, stack.endpoints.project);
      try {
        const api = stack.endpoints.services[SAMPLE_SERVICE]?.api;
        expect(api).toBe(`${stack.endpoints.services[SAMPLE_SERVICE]?.url}/api`);
        await stack.pushImage('2.0.0');
        const shifting = await waitFor(
          () => platform.get(SAMPLE_SERVICE),
          (v) => phaseOf(v) === 'shifting' || phaseOf(v) === 'rolled-back',
          90_000,
          'the release to reach its first step',
        );
        // The smoke test ran against ROUTER/api/v2 and passed.
        expect(phaseOf(shifting)).toBe('shifting');
        const candidate = shifting.record?.release?.candidate;
        expect(candidate?.version).toBe('v2');
        expect(shifting.traffic).toContainEqual(
          expect.objectContaining({ revision: candidate?.revision, tag: 'api-v2', percent: 0 }),
        );
        expect(await versionsAt(`${api}/v2/predict`)).toEqual(Array(5).fill('200 2.0.0'));

        const request = parseRollbackRequest({
          service: SAMPLE_SERVICE,
          mode: 'traffic',
          reason: 'versioned endpoint e2e',
          requestedBy: 'test',
        });
        await stack.emulator.pubsub.publish(
          stack.endpoints.topics.rollbackRequests,
          Buffer.from(JSON.stringify(request)),
        );
        const rolledBack = await waitFor(
          () => platform.get(SAMPLE_SERVICE),
          (v) => phaseOf(v) === 'rolled-back',
          60_000,
          'the rollback',
        );
        const stable = rolledBack.record?.stable.revision;
        expect(rolledBack.traffic).toContainEqual(
          expect.objectContaining({ revision: stable, tag: 'api-v2' }),
        );
        expect(await versionsAt(`${api}/v2/predict`)).toEqual(Array(5).fill('200 1.0.0'));
        expect(await versionsAt(`${api}/predict`)).toEqual(Array(5).fill('200 1.0.0'));
      } finally {
        await close();
        await stack.stop();
      }
    },
  );
});
