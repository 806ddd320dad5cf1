// The served deployment as a discrete-event queue: replicas with a bounded number of running sequences (slots,
// and for LLMs the KV-cache room), each with its own queue: the Service's load balancing sends every request to
// the next ready replica in turn (round robin, as IPVS and most gateways do) whether or not that replica has room,
// and it waits there (vLLM's num_requests_waiting) while another replica may sit idle. Requests that find no
// ready replica wait for one (the client retries). A new replica serves after the start-up delay; a removed
// replica takes no new requests, hands back those still queued (the client retries elsewhere) and finishes
// those it runs until its termination grace period ends, billed until then; what still runs then fails.
// LLM requests prefill one after another on their replica (the GPU's prefill throughput is shared, not
// multiplied by the batch), then decode at the per-sequence rate while holding their slot and KV room.
import { CompletionHeap } from "./completion-heap";
import type { LatencyKind } from "./metric-definitions";
import type { ServiceModel } from "./schema";
import type { ScrapeWindow } from "./scrape-window";
import type { Traffic } from "./traffic";

interface Replica {
  createdAt: number;
  readyAt: number;
  ready: boolean;
  removed: boolean;
  active: number;
  kvUsed: number;
  prefillFreeAt: number;
  // Billing end: removal time, pushed later by the last in-flight request of a removed replica.
  endAt: number;
  // A removed replica's pod is killed at removal + termination grace.
  killAt: number;
  // Requests routed here and not yet running, from queueHead on.
  queue: number[];
  queueHead: number;
}

export interface LatencyObserver {
  kind: LatencyKind;
  window: ScrapeWindow;
}

export class ReplicaPool {
  // Time to first token and end-to-end latency per request (ms); +Infinity until known, or when it failed.
  readonly ttftMs: Float64Array;
  readonly e2eMs: Float64Array;
  readonly slotsPerReplica: number;
  failedRequests = 0;
  private readonly replicas: Replica[] = [];
  // Requests that found no ready replica, in arrival order, from pendingHead on.
  private pending: number[] = [];
  private pendingHead = 0;
  private waiting = 0;
  private roundRobin = 0;
  private nextArrival = 0;
  // In-flight requests by completion time: the request index and the replica it runs on.
  private completions = new CompletionHeap<{ request: number; replica: Replica; kv: number }>();
  private now = 0;
  // Ready replicas running at least one sequence: DCGM_FI_DEV_GPU_UTIL reads 100 % while any kernel runs.
  private busyReplicas = 0;
  private busyArea = 0;
  private lastSample = 0;
  // Removed replicas, kept for billing.
  private readonly retired: Replica[] = [];
  private starting = 0;
  private readonly kvCapacity: number;

  constructor(
    private readonly service: ServiceModel,
    private readonly traffic: Traffic,
    initialReplicas: number,
    private readonly observer: LatencyObserver | null = null,
  ) {
    const n = traffic.arrivals.length;
    this.ttftMs = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.e2eMs = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.slotsPerReplica = service.kind === "llm" ? service.maxConcurrentSequences : service.maxConcurrentRequests;
    this.kvCapacity = service.kind === "llm" ? service.kvCacheTokens : Number.POSITIVE_INFINITY;
    for (let i = 0; i < initialReplicas; i++) this.replicas.push(this.newReplica(0, 0));
  }

  latencyMs(kind: LatencyKind): Float64Array {
    return kind === "ttft" ? this.ttftMs : this.e2eMs;
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

  // Requests waiting, on a replica or for one.
  get queueDepth(): number {
    return this.waiting;
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
      else this.route(this.nextArrival++);
    }
    this.moveClock(Math.max(this.now, time));
  }

  // Sets the replica count (the Deployment's spec.replicas). New replicas serve after the start-up delay;
  // removal takes not-ready replicas first, then the most recently ready, as the ReplicaSet controller
  // ranks pods for deletion (pkg/controller/controller_utils.go, ActivePods).
  scaleTo(replicas: number, time: number): void {
    while (this.replicas.length < replicas) {
      const r = this.newReplica(time, time + this.service.startupDelaySeconds);
      this.replicas.push(r);
      if (!r.ready) this.starting++;
    }
    this.routePending();
    // Replicas are created in order and share one delay, so the newest are the not-ready and the most recently ready.
    const handedBack: number[] = [];
    while (this.replicas.length > replicas) {
      const r = this.replicas.pop()!;
      r.removed = true;
      r.endAt = time;
      r.killAt = time + this.service.terminationGraceSeconds;
      if (r.ready) {
        if (r.active > 0) this.busyReplicas--;
      } else this.starting--;
      for (let i = r.queueHead; i < r.queue.length; i++) handedBack.push(r.queue[i]);
      this.waiting -= r.queue.length - r.queueHead;
      r.queue = [];
      r.queueHead = 0;
      this.retired.push(r);
    }
    // Handed-back requests keep their place ahead of later arrivals.
    handedBack.sort((a, b) => a - b);
    for (const request of handedBack) this.route(request);
  }

  // An independent copy of the whole state, for what-if trials (the oracle tries counts minute by minute).
  clone(): ReplicaPool {
    const copy = Object.create(ReplicaPool.prototype) as ReplicaPool;
    const map = new Map<Replica, Replica>();
    const cloneReplica = (r: Replica) => {
      let c = map.get(r);
      if (!c) {
        c = { ...r, queue: r.queue.slice() };
        map.set(r, c);
      }
      return c;
    };
    Object.assign(copy, this, {
      ttftMs: this.ttftMs.slice(),
      e2eMs: this.e2eMs.slice(),
      pending: this.pending.slice(),
      completions: this.completions.clone((e) => ({ ...e, replica: cloneReplica(e.replica) })),
      replicas: this.replicas.map(cloneReplica),
      retired: this.retired.map(cloneReplica),
      observer: this.observer ? { kind: this.observer.kind, window: this.observer.window.clone() } : null,
    });
    return copy;
  }

  // Sum over ready replicas of DCGM_FI_DEV_GPU_UTIL in percent (the share of time the GPU ran a kernel, any
  // sequence of the batch), averaged since the previous sample.
  sampleGpuUtilizationSum(): number {
    const span = this.now - this.lastSample;
    const value = span > 0 ? (100 * this.busyArea) / span : 100 * this.busyReplicas;
    this.busyArea = 0;
    this.lastSample = this.now;
    return value;
  }

  // The latency trigger's quantity at the current time (a scrape time), from the observer's window.
  latencyMetric(): number {
    return this.observer ? this.observer.window.read(this.now) : 0;
  }

  // The latency observer's counters at the current time (see ScrapeWindow.cumulative).
  latencyCounters(): number[] | null {
    return this.observer ? this.observer.window.cumulative(this.now) : null;
  }

  // GPU-seconds billed within [0, until] (replicas count from creation: the node and the model load are paid).
  gpuSeconds(until: number): number {
    let total = 0;
    for (const r of this.replicas) total += Math.max(0, Math.min(r.endAt, until) - Math.min(r.createdAt, until));
    for (const r of this.retired) total += Math.max(0, Math.min(r.endAt, until) - Math.min(r.createdAt, until));
    return total * this.service.gpusPerReplica;
  }

  private newReplica(createdAt: number, readyAt: number): Replica {
    const inf = Number.POSITIVE_INFINITY;
    return { createdAt, readyAt, ready: readyAt <= createdAt, removed: false, active: 0, kvUsed: 0, prefillFreeAt: 0, endAt: inf, killAt: inf, queue: [], queueHead: 0 };
  }

  private nextReadyTime(): number {
    if (this.starting === 0) return Number.POSITIVE_INFINITY;
    let t = Number.POSITIVE_INFINITY;
    for (const r of this.replicas) if (!r.ready && r.readyAt < t) t = r.readyAt;
    return t;
  }

  private moveClock(time: number): void {
    if (time > this.now) {
      this.busyArea += this.busyReplicas * (time - this.now);
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
    this.routePending();
  }

  // Requests that waited for any replica are routed, oldest first, once one is ready.
  private routePending(): void {
    if (this.pendingHead >= this.pending.length || this.readyCount === 0) return;
    const held = this.pending.slice(this.pendingHead);
    this.pending = [];
    this.pendingHead = 0;
    this.waiting -= held.length;
    for (const request of held) this.route(request);
  }

  // Sends a request to the next ready replica in turn (or holds it until one is ready) and starts what fits there.
  private route(request: number): void {
    this.waiting++;
    const n = this.replicas.length;
    for (let k = 0; k < n; k++) {
      const r = this.replicas[(this.roundRobin + k) % n];
      if (r.ready) {
        this.roundRobin = (this.roundRobin + k + 1) % n;
        r.queue.push(request);
        this.dispatch(r);
        return;
      }
    }
    this.pending.push(request);
  }

  private complete(): void {
    const { request, replica: r, kv } = this.completions.pop();
    r.active--;
    r.kvUsed -= kv;
    if (r.removed) {
      if (this.now > r.killAt) {
        // Killed at the end of the grace period before it finished: the client gets an error.
        this.e2eMs[request] = Number.POSITIVE_INFINITY;
        this.failedRequests++;
        r.endAt = Math.max(r.endAt, r.killAt);
      } else r.endAt = Math.max(r.endAt, this.now);
    } else {
      if (r.active === 0) this.busyReplicas--;
      this.dispatch(r);
    }
  }

  private demandOf(request: number): { context: number; generated: number } {
    if (this.service.kind !== "llm") return { context: 0, generated: 0 };
    return {
      context: this.traffic.contextTokens?.[request] ?? this.service.defaultContextTokens,
      generated: this.traffic.generatedTokens?.[request] ?? this.service.defaultGeneratedTokens,
    };
  }

  // Starts the replica's queued requests, in order, while a slot and KV-cache room are free.
  private dispatch(r: Replica): void {
    while (r.queueHead < r.queue.length && r.active < this.slotsPerReplica) {
      const request = r.queue[r.queueHead];
      const { context, generated } = this.demandOf(request);
      // A request larger than a whole KV cache runs alone (vLLM would refuse it; the trace still counts it).
      const kv = Math.min(context + generated, this.kvCapacity);
      if (r.kvUsed + kv > this.kvCapacity) return;
      r.queueHead++;
      this.waiting--;
      this.start(request, r, context, generated, kv);
    }
    // Drop what has been started, now and then, so the array does not grow with the trace.
    if (r.queueHead > 1024 && r.queueHead * 2 > r.queue.length) {
      r.queue = r.queue.slice(r.queueHead);
      r.queueHead = 0;
    }
  }

  private start(request: number, r: Replica, context: number, generated: number, kv: number): void {
    const arrival = this.traffic.arrivals[request];
    let firstToken: number;
    let done: number;
    if (this.service.kind === "llm") {
      const prefillEnd = Math.max(this.now, r.prefillFreeAt) + context / this.service.prefillTokensPerSecond;
      r.prefillFreeAt = prefillEnd;
      firstToken = prefillEnd;
      done = prefillEnd + generated / (this.service.decodeTokensPerSecond / this.service.maxConcurrentSequences);
    } else {
      done = this.now + this.service.maxConcurrentRequests / this.service.requestsPerSecondPerReplica;
      firstToken = done;
    }
    this.ttftMs[request] = (firstToken - arrival) * 1000;
    this.e2eMs[request] = (done - arrival) * 1000;
    if (this.observer) {
      const observedAt = this.observer.kind === "ttft" ? firstToken : done;
      this.observer.window.observe(observedAt, this.observer.kind === "ttft" ? this.ttftMs[request] : this.e2eMs[request]);
    }
    if (r.active === 0) this.busyReplicas++;
    r.active++;
    r.kvUsed += kv;
    this.completions.push(done, { request, replica: r, kv });
  }
}
