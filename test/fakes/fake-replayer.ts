import type { LoggedRequest } from '../../shared/domain/shadow/log-lines.js';
import type { ReplayPair } from '../../shared/domain/shadow/pairs.js';
import type { ProbeResult } from '../../shared/domain/smoke.js';
import type { ReplayOptions, ShadowReplayer } from '../../shared/ports/shadow-replayer.js';

export type Answerer = (url: string, request: LoggedRequest, index: number) => ProbeResult;

/** Answers each replayed request from a function of (url, request); records what was sent where. */
export class FakeReplayer implements ShadowReplayer {
  readonly sent: Array<{
    urls: { blue: string; green: string };
    count: number;
    options: ReplayOptions;
  }> = [];

  constructor(private readonly answer: Answerer) {}

  replay(
    requests: readonly LoggedRequest[],
    urls: { blue: string; green: string },
    options: ReplayOptions,
  ): Promise<ReplayPair[]> {
    this.sent.push({ urls, count: requests.length, options });
    return Promise.resolve(
      requests.map((request, i) => ({
        request,
        blue: this.answer(urls.blue, request, i),
        green: this.answer(urls.green, request, i),
      })),
    );
  }
}
