import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIds(code: string, filePath = 'shared/domain/example.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse-error');
}

describe('lint keeps shared/domain pure', () => {
  it.each([
    [
      'a cloud SDK',
      `import { ServicesClient } from '@google-cloud/run';\nexport const c = ServicesClient;\n`,
    ],
    ['google-gax', `import { grpc } from 'google-gax';\nexport const g = grpc;\n`],
    [
      'the functions-framework',
      `import * as ff from '@google-cloud/functions-framework';\nexport const f = ff;\n`,
    ],
    ['node:fs', `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`],
    ['node:http', `import { createServer } from 'node:http';\nexport const s = createServer;\n`],
    ['child_process', `import { spawn } from 'child_process';\nexport const s = spawn;\n`],
    [
      'an adapter',
      `import { CloudRunPlatform } from '../adapters/gcp/cloud-run-platform.js';\nexport const p = CloudRunPlatform;\n`,
    ],
  ])('rejects importing %s', async (_name, code) => {
    expect(await ruleIds(code)).toContain('no-restricted-imports');
  });

  it('rejects reading the system clock', async () => {
    expect(await ruleIds('export const now = () => Date.now();\n')).toContain(
      'no-restricted-syntax',
    );
    expect(await ruleIds('export const now = () => new Date();\n')).toContain(
      'no-restricted-syntax',
    );
  });

  it('allows the same imports outside the domain, and pure code inside it', async () => {
    expect(
      await ruleIds(
        `import { ServicesClient } from '@google-cloud/run';\nexport const c = ServicesClient;\n`,
        'shared/adapters/gcp/example.ts',
      ),
    ).toEqual([]);
    expect(
      await ruleIds(
        `import { z } from 'zod';\nexport const at = (ms: number) => new Date(ms);\nexport const s = z.string();\n`,
      ),
    ).toEqual([]);
  });
});
