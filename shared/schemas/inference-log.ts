import { z } from 'zod';

/**
 * One line of a model's inference-log batch (JSON Lines), as far as the shadow replay reads it:
 * when, which route, and the JSON body it was sent (`features`). Other fields (the answer, the
 * model version, the latency) may be there and are not needed to replay the request.
 */
export const InferenceLogLine = z.object({
  time: z.iso.datetime({ offset: true }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  route: z.string().startsWith('/'),
  features: z.unknown(),
});
export type InferenceLogLine = z.infer<typeof InferenceLogLine>;
