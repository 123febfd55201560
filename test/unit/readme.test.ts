import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceConfig } from '../../shared/schemas/config.js';

/** What a new user copies from the README must work as written. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const codeLines = [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) =>
  (m[1] ?? '').split('\n'),
);

/** The zod object's keys (through defaults and optionals). */
function keysOf(schema: unknown): string[] {
  let s = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown } };
  while (!s.shape && s.def?.innerType) s = s.def.innerType as typeof s;
  return Object.keys(s.shape ?? {});
}

describe('README', () => {
  it('lists every smoke setting in the config table', () => {
    const smoke = (ServiceConfig as unknown as { shape: Record<string, unknown> }).shape.smoke;
    const keys = keysOf(smoke);
    expect(keys).toContain('timeoutSeconds');
    for (const key of keys)
      expect(readme, key).toMatch(new RegExp(`services\\[\\]\\.smoke\\.[^|]*\\b${key}\\b`));
  });

  it('gives every `cutover rollback` it shows the --reason it requires', () => {
    const rollbacks = [...codeLines, ...readme.split('\n')]
      .flatMap((l) => [...l.matchAll(/cutover rollback [^`\n]+/g)].map((m) => m[0]))
      .filter((c) => !c.includes('cutover-rollback'));
    expect(rollbacks.length).toBeGreaterThan(1);
    for (const command of rollbacks) expect(command).toContain('--reason');
  });

  it('suggests a slow push that passes the smoke test (a share of slow predictions)', () => {
    const push = codeLines.find((l) => l.includes('local-push') && l.includes('EXTRA_LATENCY_MS'));
    expect(push).toMatch(/SLOW_SHARE=0\.[0-3]\d*/);
  });
});
