// A Prometheus-style latency histogram, read the way histogram_quantile() reads one: find the bucket that
// holds the rank and interpolate linearly inside it. The buckets are the exporter's (metric-definitions.ts);
// without them, buckets run from 1 ms to ~3 hours, 10 % apart.
const fineBoundsMs = Float64Array.from({ length: 171 }, (_, i) => 1.1 ** i);

export class LatencyHistogram {
  private readonly bounds: Float64Array;
  // One count per bucket plus the +Inf bucket.
  private counts: Float64Array;
  private total = 0;

  constructor(boundsMs: ArrayLike<number> = fineBoundsMs) {
    this.bounds = Float64Array.from(boundsMs);
    this.counts = new Float64Array(this.bounds.length + 1);
  }

  // The first bucket whose upper bound (le) is at least the value; bounds.length is the +Inf bucket.
  bucketOf(latencyMs: number): number {
    let lo = 0;
    let hi = this.bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.bounds[mid]! >= latencyMs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  add(latencyMs: number): void {
    this.counts[this.bucketOf(latencyMs)]!++;
    this.total++;
  }

  remove(latencyMs: number): void {
    this.counts[this.bucketOf(latencyMs)]!--;
    this.total--;
  }

  get bucketCount(): number {
    return this.counts.length;
  }

  // Adds per-bucket counts (as bucketOf numbers them) gathered elsewhere.
  addCounts(counts: ArrayLike<number>): void {
    for (let i = 0; i < counts.length; i++) {
      this.counts[i]! += counts[i]!;
      this.total += counts[i]!;
    }
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  get count(): number {
    return this.total;
  }

  // NaN when empty: Prometheus returns no sample (histogram_quantile of zero rates), which is not 0.
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = q * this.total;
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i]!;
      if (count > 0 && cumulative + count >= rank) {
        // histogram_quantile answers the highest finite bound for a rank in the +Inf bucket.
        if (i >= this.bounds.length) return this.bounds[this.bounds.length - 1]!;
        const lower = i === 0 ? 0 : this.bounds[i - 1]!;
        return lower + ((this.bounds[i]! - lower) * (rank - cumulative)) / count;
      }
      cumulative += count;
    }
    return Number.NaN;
  }

  clone(): LatencyHistogram {
    const copy = new LatencyHistogram(this.bounds);
    copy.counts = this.counts.slice();
    copy.total = this.total;
    return copy;
  }
}
