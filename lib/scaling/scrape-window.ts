// Latency observations as Prometheus holds them: counters per scrape interval, read over a rate() window.
// An observation made at time x lands in interval floor(x / scrape). rate() over [window] at a scrape time T
// takes the increase between the first and last samples inside the window, T - window + scrape and T, so it
// covers the observations of the intervals in between.
import { LatencyHistogram } from "./latency-histogram";
import type { SimulatedQuantity } from "./metric-definitions";

export type LatencyQuantity = Extract<SimulatedQuantity, { kind: "latency-quantile" | "latency-mean" }>;

export class ScrapeWindow {
  // Per interval: bucket counts (quantile) or [count, sum in ms] (mean).
  private readonly bins = new Map<number, Float64Array>();
  private readonly scratch: LatencyHistogram | null;
  private readonly width: number;

  constructor(
    private readonly quantity: LatencyQuantity,
    private readonly scrapeSeconds: number,
  ) {
    this.scratch = quantity.kind === "latency-quantile" ? new LatencyHistogram(quantity.bucketsMs) : null;
    this.width = this.scratch ? this.scratch.bucketCount : 2;
  }

  observe(atSeconds: number, latencyMs: number): void {
    const key = Math.floor(atSeconds / this.scrapeSeconds);
    let bin = this.bins.get(key);
    if (!bin) this.bins.set(key, (bin = new Float64Array(this.width)));
    if (this.scratch) bin[this.scratch.bucketOf(latencyMs)]!++;
    else {
      bin[0]!++;
      bin[1]! += latencyMs;
    }
  }

  // The quantity a query evaluated at time T answers; 0 for a window without requests (metric-definitions.ts).
  read(atSeconds: number): number {
    const last = Math.floor(atSeconds / this.scrapeSeconds) - 1;
    const first = last - Math.round(this.quantity.windowSeconds / this.scrapeSeconds) + 2;
    if (this.scratch) {
      this.scratch.reset();
      for (let k = first; k <= last; k++) {
        const bin = this.bins.get(k);
        if (bin) this.scratch.addCounts(bin);
      }
      const q = this.scratch.quantile(this.quantity.kind === "latency-quantile" ? this.quantity.quantile : 0.5);
      return Number.isNaN(q) ? 0 : q;
    }
    let n = 0;
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const bin = this.bins.get(k);
      if (bin) {
        n += bin[0]!;
        sum += bin[1]!;
      }
    }
    return n ? sum / n : 0;
  }

  // What the exporter's counters hold at time T: per-bucket counts (not cumulative over le) or [count, sum in ms]
  // of every observation made before T.
  cumulative(atSeconds: number): number[] {
    const last = Math.floor(atSeconds / this.scrapeSeconds) - 1;
    const out = new Array<number>(this.width).fill(0);
    for (const [k, bin] of this.bins) if (k <= last) for (let i = 0; i < this.width; i++) out[i]! += bin[i]!;
    return out;
  }

  clone(): ScrapeWindow {
    const copy = new ScrapeWindow(this.quantity, this.scrapeSeconds);
    for (const [k, v] of this.bins) copy.bins.set(k, v.slice());
    return copy;
  }
}
