import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { readProcessFile } from '../../local/process-file.js';
import { SAMPLE_IMAGE, SAMPLE_SERVICE } from '../../local/local-config.js';
import { startStack } from '../../local/stack.js';
import {
  alive,
  phaseOf,
  platformOn,
  plumbingConfig,
  startLocalChild,
  waitFor,
  type LocalChild,
} from './stack-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cutover-stack-'));
const children: LocalChild[] = [];

afterAll(() => {
  for (const { child } of children) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('the local stack', () => {
  it('releases a good v2 from push to promoted', { timeout: 150_000 }, async () => {
    const stack = await startStack({
      stateDir: join(root, 'in-process'),
      fresh: true,
      config: plumbingConfig(),
      alerts: false,
      logger: memoryLogger(),
    });
    const { platform, close } = platformOn(stack.endpoints.emulator, stack.endpoints.project);
    try {
      expect(Object.keys(stack.endpoints.services)).toEqual([SAMPLE_SERVICE]);
      const before = await platform.get(SAMPLE_SERVICE);
      expect(before.traffic).toEqual([expect.objectContaining({ percent: 100 })]);

      const pushed = await stack.pushImage('2.0.0');
      const view = await waitFor(
        () => platform.get(SAMPLE_SERVICE),
        (v) => ['promoted', 'rolled-back'].includes(phaseOf(v) ?? ''),
        120_000,
        'the release to end',
      );
      expect(phaseOf(view)).toBe('promoted');
      expect(view.record?.stable).toMatchObject({
        image: `${SAMPLE_IMAGE}@${pushed.digest}`,
        color: 'green',
      });
      expect(view.traffic.filter((t) => t.percent > 0)).toEqual([
        expect.objectContaining({ revision: view.record?.stable.revision, percent: 100 }),
      ]);
    } finally {
      await close();
      const pids = stack.platform.processes().map((p) => p.pid);
      await stack.stop();
      expect(pids.filter(alive)).toEqual([]);
    }
  });

  it(
    'stops on SIGTERM leaving no child, and a restart carries the release on',
    { timeout: 240_000 },
    async () => {
      const stateDir = join(root, 'child');
      const first = await startLocalChild(stateDir, true);
      children.push(first);
      const { platform, close } = platformOn(first.endpoints.emulator, first.endpoints.project);
      let releaseId: string | undefined;
      let pids: number[] = [];
      try {
        const response = await fetch(`${first.endpoints.registry}/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tag: '2.0.0' }),
        });
        expect(response.status).toBe(200);
        const shifting = await waitFor(
          () => platform.get(SAMPLE_SERVICE),
          (v) => phaseOf(v) === 'shifting',
          120_000,
          'the release to be shifting',
        );
        releaseId = shifting.record?.release?.id;
        const processes = await waitFor(
          () => Promise.resolve(readProcessFile(join(stateDir, 'processes.json'))),
          (list) => (list?.revisions.length ?? 0) >= 2,
          20_000,
          'blue and green processes',
        );
        pids = processes?.revisions.map((r) => r.pid) ?? [];
      } finally {
        await close();
      }
      expect(pids.every(alive)).toBe(true);

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(join(stateDir, 'processes.json'))).toBe(false);

      const second = await startLocalChild(stateDir, false);
      children.push(second);
      const again = platformOn(second.endpoints.emulator, second.endpoints.project);
      try {
        const resumed = await again.platform.get(SAMPLE_SERVICE);
        expect(resumed.record?.release?.id).toBe(releaseId);
        const done = await waitFor(
          () => again.platform.get(SAMPLE_SERVICE),
          (v) => phaseOf(v) !== 'shifting',
          150_000,
          'the restarted stack to finish the release',
        );
        expect(done.record?.release).toMatchObject({ id: releaseId, phase: 'promoted' });
      } finally {
        await again.close();
      }
      const restartedPids =
        readProcessFile(join(stateDir, 'processes.json'))?.revisions.map((r) => r.pid) ?? [];
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(restartedPids.filter(alive)).toEqual([]);
    },
  );
});
