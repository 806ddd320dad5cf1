// The served deployment as a discrete-event queue: replicas with a fixed number of slots (concurrent
// sequences or requests), one shared FIFO queue in front (a load balancer sending each request to the
// least-loaded ready replica), a start-up delay before a new replica serves, and graceful removal
// (a removed replica takes no new requests and finishes those it holds, billed until it does).
// LLM requests hold a slot for prefill (context / prefill rate) then decode (generated tokens at the
// replica's decode rate shared by its slots); their latency is the time to first token.
import { CompletionHeap } from "./completion-heap";
import { LatencyHistogram } from "./latency-histogram";
import type { ServiceModel } from "./schema";
import type { Traffic } from "./traffic";

interface Replica {
  createdAt: number;
  readyAt: number;
  ready: boolean;
  removed: boolean;
  active: number;
  // Billing end: removal time, pushed later by the last in-flight request of a removed replica.
  endAt: number;
}

export class ReplicaPool {
  readonly latencyMs: Float64Array;
  readonly slotsPerReplica: number;
  private readonly replicas: Replica[] = [];
  private readonly queue: Int32Array;
  private queueHead = 0;
  private queueTail = 0;
  private nextArrival = 0;
  // In-flight requests by completion time, with the replica each holds a slot on.
  private completions = new CompletionHeap<Replica>();
  private now = 0;
  private servingBusy = 0;
  private busyArea = 0;
  private lastSample = 0;
  // Latency observations in dispatch order, for the p99 trigger's window.
  private readonly observedAt: Float64Array;
  private observed = 0;
  private readonly orderToRequest: Int32Array;
  // The latency trigger reads a Prometheus histogram: observations enter its buckets when made and leave
  // when older than the window (both in dispatch order).
  private histogram = new LatencyHistogram();
  private entered = 0;
  private left = 0;
  // Removed replicas, kept for billing.
  private readonly retired: Replica[] = [];
  private starting = 0;

  constructor(private readonly service: ServiceModel, private readonly traffic: Traffic, initialReplicas: number) {
    const n = traffic.arrivals.length;
    this.latencyMs = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.queue = new Int32Array(n);
    this.observedAt = new Float64Array(n);
    this.orderToRequest = new Int32Array(n);
    this.slotsPerReplica = service.kind === "llm" ? service.maxConcurrentSequences : service.maxConcurrentRequests;
    for (let i = 0; i < initialReplicas; i++) {
      this.replicas.push({ createdAt: 0, readyAt: 0, ready: true, removed: false, active: 0, endAt: Number.POSITIVE_INFINITY });
    }
  }

  get replicaCount(): number {
    return this.replicas.length;
  }

  get readyCount(): number {
    return this.replicas.length - this.starting;
  }

  // Requests holding a slot, on any replica (removed ones included).
  get inFlight(): number {
    return this.completions.size;
  }

  get queueDepth(): number {
    return this.queueTail - this.queueHead;
  }

  // Runs every arrival, completion and readiness up to `time` (inclusive).
  advanceTo(time: number): void {
    const arrivals = this.traffic.arrivals;
    for (;;) {
      const arrival = this.nextArrival < arrivals.length ? arrivals[this.nextArrival] : Number.POSITIVE_INFINITY;
      const completion = this.completions.peekTime();
      const ready = this.nextReadyTime();
      const next = Math.min(arrival, completion, ready);
      if (next > time) break;
      this.moveClock(next);
      if (completion === next) this.complete();
      else if (ready === next) this.markReady(next);
      else this.queue[this.queueTail++] = this.nextArrival++;
      this.dispatch();
    }
    this.moveClock(Math.max(this.now, time));
  }

  // Sets the replica count (the Deployment's spec.replicas). New replicas serve after the start-up delay;
  // removal takes not-ready replicas first, then the most recently ready, as the ReplicaSet controller
  // ranks pods for deletion (pkg/controller/controller_utils.go, ActivePods).
  scaleTo(replicas: number, time: number): void {
    while (this.replicas.length < replicas) {
      const readyAt = time + this.service.startupDelaySeconds;
      const ready = readyAt <= time;
      this.replicas.push({ createdAt: time, readyAt, ready, removed: false, active: 0, endAt: Number.POSITIVE_INFINITY });
      if (!ready) this.starting++;
    }
    // Replicas are created in order and share one delay, so the newest are the not-ready and the most recently ready.
    while (this.replicas.length > replicas) {
      const r = this.replicas.pop()!;
      r.removed = true;
      r.endAt = time;
      if (r.ready) this.servingBusy -= r.active;
      else this.starting--;
      this.retired.push(r);
    }
    this.dispatch();
  }

  // An independent copy of the whole state, for what-if trials (the oracle tries counts minute by minute).
  clone(): ReplicaPool {
    const copy = Object.create(ReplicaPool.prototype) as ReplicaPool;
    const map = new Map<Replica, Replica>();
    const cloneReplica = (r: Replica) => {
      let c = map.get(r);
      if (!c) {
        c = { ...r };
        map.set(r, c);
      }
      return c;
    };
    Object.assign(copy, this, {
      latencyMs: this.latencyMs.slice(),
      queue: this.queue.slice(),
      observedAt: this.observedAt.slice(),
      orderToRequest: this.orderToRequest.slice(),
      completions: this.completions.clone(cloneReplica),
      replicas: this.replicas.map(cloneReplica),
      retired: this.retired.map(cloneReplica),
      histogram: this.histogram.clone(),
    });
    return copy;
  }

  // Sum over ready replicas of their GPU utilization in percent, averaged since the previous sample.
  // Utilization is the share of a replica's slots in use: the part of the GPU the batch keeps busy.
  sampleGpuUtilizationSum(): number {
    const span = this.now - this.lastSample;
    const value = span > 0 ? (100 * this.busyArea) / (this.slotsPerReplica * span) : (100 * this.servingBusy) / this.slotsPerReplica;
    this.busyArea = 0;
    this.lastSample = this.now;
    return value;
  }

  // histogram_quantile(0.99, rate(..._bucket[window])) over the observations of (now - window, now].
  // Observations enter when made and leave when older than the window, both in dispatch order.
  p99LatencyMsInWindow(windowSeconds: number): number {
    const from = this.now - windowSeconds;
    while (this.entered < this.observed && this.observedAt[this.entered] <= this.now) {
      this.histogram.add(this.latencyMs[this.orderToRequest[this.entered++]]);
    }
    while (this.left < this.entered && this.observedAt[this.left] <= from) {
      this.histogram.remove(this.latencyMs[this.orderToRequest[this.left++]]);
    }
    return this.histogram.quantile(0.99);
  }

  // GPU-seconds billed within [0, until] (replicas count from creation: the node and the model load are paid).
  gpuSeconds(until: number): number {
    let total = 0;
    for (const r of [...this.replicas, ...this.retired]) total += Math.max(0, Math.min(r.endAt, until) - Math.min(r.createdAt, until));
    return total * this.service.gpusPerReplica;
  }

  private nextReadyTime(): number {
    if (this.starting === 0) return Number.POSITIVE_INFINITY;
    let t = Number.POSITIVE_INFINITY;
    for (const r of this.replicas) if (!r.ready && r.readyAt < t) t = r.readyAt;
    return t;
  }

  private moveClock(time: number): void {
    if (time > this.now) {
      this.busyArea += this.servingBusy * (time - this.now);
      this.now = time;
    }
  }

  private markReady(time: number): void {
    for (const r of this.replicas) {
      if (!r.ready && r.readyAt <= time) {
        r.ready = true;
        this.starting--;
      }
    }
  }

  private complete(): void {
    const r = this.completions.pop();
    r.active--;
    if (r.removed) r.endAt = Math.max(r.endAt, this.now);
    else this.servingBusy--;
  }

  private dispatch(): void {
    while (this.queueHead < this.queueTail) {
      let best = -1;
      let bestActive = this.slotsPerReplica;
      for (let i = 0; i < this.replicas.length; i++) {
        const r = this.replicas[i];
        if (r.ready && r.active < bestActive) {
          best = i;
          bestActive = r.active;
          if (bestActive === 0) break;
        }
      }
      if (best < 0) return;
      this.start(this.queue[this.queueHead++], best);
    }
  }

  private start(request: number, replicaIndex: number): void {
    const wait = this.now - this.traffic.arrivals[request];
    let firstResult: number;
    let holdSeconds: number;
    if (this.service.kind === "llm") {
      const context = this.traffic.contextTokens?.[request] ?? this.service.defaultContextTokens;
      const generated = this.traffic.generatedTokens?.[request] ?? this.service.defaultGeneratedTokens;
      const prefill = context / this.service.prefillTokensPerSecond;
      const perSequenceDecode = this.service.decodeTokensPerSecond / this.service.maxConcurrentSequences;
      firstResult = prefill;
      holdSeconds = prefill + generated / perSequenceDecode;
    } else {
      holdSeconds = this.service.maxConcurrentRequests / this.service.requestsPerSecondPerReplica;
      firstResult = holdSeconds;
    }
    this.latencyMs[request] = (wait + firstResult) * 1000;
    this.observedAt[this.observed] = this.now + firstResult;
    this.orderToRequest[this.observed++] = request;
    const r = this.replicas[replicaIndex];
    r.active++;
    this.servingBusy++;
    this.completions.push(this.now + holdSeconds, r);
  }
}
