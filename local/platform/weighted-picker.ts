/** One revision's share of the service URL's traffic, in percent. */
export interface Split {
  revision: string;
  percent: number;
}

/**
 * Smooth weighted round robin (as nginx balances upstreams): deterministic, and every window of 100
 * picks holds each revision exactly `percent` times, evenly interleaved — a 90/10 split sends every
 * tenth request to the 10% revision. Targets at 0% are never picked.
 */
export class WeightedPicker {
  private readonly targets: Array<{ revision: string; weight: number; current: number }>;
  private readonly total: number;

  constructor(split: readonly Split[]) {
    this.targets = split
      .filter((s) => s.percent > 0)
      .map((s) => ({ revision: s.revision, weight: s.percent, current: 0 }));
    this.total = this.targets.reduce((sum, t) => sum + t.weight, 0);
  }

  /** The next revision, or null when nothing has a share of the traffic. */
  next(): string | null {
    let best: (typeof this.targets)[number] | undefined;
    for (const t of this.targets) {
      t.current += t.weight;
      if (!best || t.current > best.current) best = t;
    }
    if (!best) return null;
    best.current -= this.total;
    return best.revision;
  }
}
