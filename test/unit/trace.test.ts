import { describe, expect, it } from 'vitest';
import { traceField } from '../../functions/trace.js';
import { memoryLogger } from '../../shared/adapters/json-logger.js';

const ID = '105445aa7843bc8bf206b12000100000';

describe('trace field for Cloud Logging', () => {
  it.each([
    ['X-Cloud-Trace-Context', `${ID}/1;o=1`, undefined],
    ['traceparent', undefined, `00-${ID}-00f067aa0ba902b7-01`],
    ['both (the Cloud header wins)', `${ID}/1;o=1`, `00-${'f'.repeat(32)}-00f067aa0ba902b7-01`],
  ])('reads %s', (_n, cloud, w3c) => {
    expect(traceField(cloud, w3c, 'p')).toEqual({ trace: `projects/p/traces/${ID}` });
  });

  it.each([
    ['nothing', undefined, undefined, 'p'],
    ['a malformed header', 'nope', 'also-nope', 'p'],
    ['an unknown project', `${ID}/1`, undefined, ''],
  ])('is empty for %s', (_n, cloud, w3c, project) => {
    expect(traceField(cloud, w3c, project)).toEqual({});
  });

  it('lands in the log entry under the key Cloud Logging reads', () => {
    const logger = memoryLogger();
    logger.with(traceField(`${ID}/1`, undefined, 'p')).info('hello');
    expect(logger.entries[0]).toMatchObject({
      severity: 'INFO',
      message: 'hello',
      'logging.googleapis.com/trace': `projects/p/traces/${ID}`,
    });
  });
});
