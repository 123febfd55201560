import { z } from 'zod';

/**
 * Something that keeps the active release from being promoted until it clears, e.g. an open
 * incident about the stable revision. A hold never moves traffic by itself; it ends with the
 * release or when its cause clears (the incident closes).
 */
export const Hold = z.object({
  /** What holds, unique per release: `incident:<incident id>`. */
  id: z.string().min(1),
  /** One human line: what holds the release and what clears it. */
  reason: z.string().min(1),
  since: z.iso.datetime({ offset: true }),
});
export type Hold = z.infer<typeof Hold>;
