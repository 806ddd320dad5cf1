// A Prometheus-style latency histogram, read the way histogram_quantile() reads one: find the bucket that
// holds the rank and interpolate linearly inside it. Buckets run from 1 ms to ~3 hours, 10 % apart (finer
// than a typical exporter's, so that the interpolated p99 stays within a few percent of the exact one).
const bounds = Float64Array.from({ length: 171 }, (_, i) => 1.1 ** i);
const logStep = Math.log(1.1);

function bucketOf(latencyMs: number): number {
  if (latencyMs <= 1) return 0;
  return Math.min(bounds.length, Math.ceil(Math.log(latencyMs) / logStep - 1e-9));
}

export class LatencyHistogram {
  // One count per bucket plus the +Inf bucket.
  private counts = new Float64Array(bounds.length + 1);
  private total = 0;

  add(latencyMs: number): void {
    this.counts[bucketOf(latencyMs)]++;
    this.total++;
  }

  remove(latencyMs: number): void {
    this.counts[bucketOf(latencyMs)]--;
    this.total--;
  }

  // 0 when empty (KEDA's Prometheus scaler reads an empty result as 0).
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = q * this.total;
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i];
      if (count > 0 && cumulative + count >= rank) {
        if (i >= bounds.length) return bounds[bounds.length - 1]; // the +Inf bucket answers its lower bound
        const lower = i === 0 ? 0 : bounds[i - 1];
        return lower + ((bounds[i] - lower) * (rank - cumulative)) / count;
      }
      cumulative += count;
    }
    return 0;
  }

  clone(): LatencyHistogram {
    const copy = new LatencyHistogram();
    copy.counts = this.counts.slice();
    copy.total = this.total;
    return copy;
  }
}
