import type { z } from 'zod';
import { InvalidPayloadError } from '../../errors.js';

/** `path.to.field: message` per issue; `(root)` when the payload itself is wrong. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Parses `input` with `schema`, or throws InvalidPayloadError(kind, issues) with the zod error as cause. */
export function parseInbound<S extends z.ZodType>(
  schema: S,
  kind: string,
  input: unknown,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new InvalidPayloadError(kind, describeIssues(parsed.error.issues), {
      cause: parsed.error,
    });
  return parsed.data;
}
