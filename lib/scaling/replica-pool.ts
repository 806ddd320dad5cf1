// The served deployment as a discrete-event queue: replicas with a bounded number of running sequences (slots,
// and for LLMs the KV-cache room), each with its own queue: the Service's load balancing sends every request to
// the next ready replica in turn (round robin, as IPVS and most gateways do) whether or not that replica has room,
// and it waits there (vLLM's num_requests_waiting) while another replica may sit idle. Requests that find no
// ready replica wait for one (the client retries). A new replica serves after the start-up delay; a removed
// replica takes no new requests, hands back those still queued (the client retries elsewhere) and finishes
// those it runs until its termination grace period ends, billed until then; what still runs then fails.
// An LLM replica runs vLLM's engine loop as a fluid of steps: each step carries one token per decoding sequence
// and fills the rest of its maxBatchedTokens budget with prompt chunks, oldest prompt first (chunked prefill);
// it lasts as long as the slower of the memory reads (the weights, and the KV cache of every decoding sequence)
// and the compute (serving-model.ts). The KV cache read is taken as it stands at the replica's latest event: it
// grows by one token per sequence each step in between, which the next event catches up with.
// A request reserves KV-cache room for its prompt and its whole output when admitted, so it is never preempted;
// vLLM reserves blocks as tokens come and preempts (recomputes) the newest request when they run out, which this
// model does not replay: under KV pressure it queues requests that vLLM would admit and later preempt. So prefill and decode
// share the GPU: a burst of long prompts slows every decoding sequence, and a full batch slows prefill. The
// step rates only change when a replica admits, finishes a prompt or finishes a request, which are its events.
import { CompletionHeap } from "./completion-heap";
import { EventQueue } from "./event-queue";
import type { LatencyKind } from "./metric-definitions";
import type { ServiceModel } from "./schema";
import { kvReadSecondsPerToken, stepSeconds } from "./serving-model";
import type { ScrapeWindow } from "./scrape-window";
import type { Traffic } from "./traffic";

interface Replica {
  createdAt: number;
  readyAt: number;
  ready: boolean;
  removed: boolean;
  // Requests admitted (prefilling or decoding) and the KV-cache tokens they hold.
  active: number;
  kvUsed: number;
  // Admitted requests still prefilling, oldest first from prefillHead; the oldest has headLeft prompt tokens to
  // go, all of them backlog.
  prefill: number[];
  prefillHead: number;
  headLeft: number;
  backlog: number;
  // Decoding requests by the step count at which their last token is out.
  decoding: CompletionHeap<number>;
  // Their KV cache as a function of the step count: prompts plus tokens generated, sum(context + steps - start).
  decodeContext: number;
  decodeStartSum: number;
  // Steps run so far (fractional), and the rates of the current interval, as of updatedAt.
  steps: number;
  stepRate: number;
  prefillRate: number;
  updatedAt: number;
  // The time of its next event (+Infinity: none) and its place in the event queue.
  nextAt: number;
  heapIndex: number;
  // Billing end: removal time, pushed later by the last in-flight request of a removed replica.
  endAt: number;
  // A removed replica's pod is killed at removal + termination grace.
  killAt: number;
  // Requests routed here and not yet admitted, from queueHead on.
  queue: number[];
  queueHead: number;
}

export interface LatencyObserver {
  kind: LatencyKind;
  window: ScrapeWindow;
}

// Counts, as requests finish, the minutes that are certain to miss the SLO: a minute of k requests misses when
// more than k - ceil(0.99 k) of them are over it (simulate.ts, countViolationMinutes), and a latency once set
// only grows for the requests still running. Lets a search drop a candidate as soon as it cannot meet its target.
export interface SloTracker {
  kind: LatencyKind;
  sloMs: number;
  // Per request, its minute of the measured window (-1 outside it); per minute, how many may be over the SLO.
  minuteOf: Int32Array;
  allowedOver: Int32Array;
}

export class ReplicaPool {
  // Time to first token and end-to-end latency per request (ms); +Infinity until known, or when it failed.
  readonly ttftMs: Float64Array;
  readonly e2eMs: Float64Array;
  readonly slotsPerReplica: number;
  failedRequests = 0;
  // Requests finished (vLLM's request_success counter, summed over pods).
  completedRequests = 0;
  private readonly replicas: Replica[] = [];
  // Requests that found no ready replica, in arrival order, from pendingHead on.
  private pending: number[] = [];
  private pendingHead = 0;
  private waiting = 0;
  private roundRobin = 0;
  private nextArrival = 0;
  // Each replica's next event (a prompt or a request finishing, or its kill), by time.
  private events = new EventQueue<Replica>();
  private running = 0;
  private now = 0;
  // Ready replicas running at least one sequence: DCGM_FI_DEV_GPU_UTIL reads 100 % while any kernel runs.
  private busyReplicas = 0;
  private busyArea = 0;
  private lastSample = 0;
  // Removed replicas, kept for billing.
  private readonly retired: Replica[] = [];
  private starting = 0;
  private readonly kvCapacity: number;
  // Prompt and output tokens per request (the service's defaults where the trace has none; 0 for a model that
  // is not an LLM).
  private readonly context: Float64Array;
  private readonly generated: Float64Array;
  private readonly minStepSeconds: number;
  private readonly kvReadSeconds: number;
  // Per request, the step count at which it started decoding (NaN while it is not decoding).
  private readonly decodeStart: Float64Array;
  private readonly computeTokensPerSecond: number;
  private sloOver: Int32Array | null = null;
  // Minutes already certain to violate the SLO (with an SloTracker).
  certainViolationMinutes = 0;

  constructor(
    private readonly service: ServiceModel,
    private readonly traffic: Traffic,
    initialReplicas: number,
    private readonly observer: LatencyObserver | null = null,
    private readonly slo: SloTracker | null = null,
  ) {
    const n = traffic.arrivals.length;
    if (slo) this.sloOver = new Int32Array(slo.allowedOver.length);
    const llm = service.kind === "llm" ? service : null;
    this.context = llm
      ? (traffic.contextTokens ?? new Float64Array(n).fill(llm.defaultContextTokens))
      : new Float64Array(n);
    this.generated = llm
      ? (traffic.generatedTokens ?? new Float64Array(n).fill(llm.defaultGeneratedTokens))
      : new Float64Array(n);
    this.minStepSeconds = llm ? stepSeconds(llm, 0) : 0;
    this.kvReadSeconds = llm ? kvReadSecondsPerToken(llm) : 0;
    this.decodeStart = new Float64Array(n).fill(Number.NaN);
    this.computeTokensPerSecond = llm ? llm.prefillTokensPerSecond : 1;
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
    return this.running;
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
      const completion = this.events.peekTime();
      const ready = this.starting === 0 ? Number.POSITIVE_INFINITY : this.nextReadyTime();
      const next = Math.min(arrival!, completion, ready);
      if (next > time) break;
      this.moveClock(next);
      if (completion === next) this.touch(this.events.peek());
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
      // Its running requests go on until the grace period ends (a kill event at killAt).
      this.touch(r);
      for (let i = r.queueHead; i < r.queue.length; i++) handedBack.push(r.queue[i]!);
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
        c = { ...r, queue: r.queue.slice(), prefill: r.prefill.slice(), decoding: r.decoding.clone((x) => x) };
        map.set(r, c);
      }
      return c;
    };
    Object.assign(copy, this, {
      ttftMs: this.ttftMs.slice(),
      decodeStart: this.decodeStart.slice(),
      e2eMs: this.e2eMs.slice(),
      pending: this.pending.slice(),
      events: this.events.clone(cloneReplica),
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

  // Mean over ready replicas of the share of their KV cache in use, in percent (vllm:kv_cache_usage_perc x 100).
  // The pool reserves a request's prompt and whole output on admission, where vLLM allocates blocks as tokens
  // come: it reads higher than vLLM would for the same batch, by up to the outputs still to be generated.
  kvCacheUsagePercent(): number {
    let sum = 0;
    let ready = 0;
    for (const r of this.replicas) {
      if (!r.ready || r.removed) continue;
      ready++;
      sum += Math.min(1, r.kvUsed / this.kvCapacity);
    }
    return ready && Number.isFinite(this.kvCapacity) ? (100 * sum) / ready : 0;
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
    return {
      createdAt,
      readyAt,
      ready: readyAt <= createdAt,
      removed: false,
      active: 0,
      kvUsed: 0,
      prefill: [],
      prefillHead: 0,
      headLeft: 0,
      backlog: 0,
      decoding: new CompletionHeap<number>(),
      decodeContext: 0,
      decodeStartSum: 0,
      steps: 0,
      stepRate: 0,
      prefillRate: 0,
      updatedAt: createdAt,
      nextAt: inf,
      heapIndex: -1,
      endAt: inf,
      killAt: inf,
      queue: [],
      queueHead: 0,
    };
  }

  // Replicas are added in time order with one start-up delay and removed newest first, so the starting ones
  // are the last `starting` of the list and the first of them is the next to be ready.
  private nextReadyTime(): number {
    if (this.starting === 0) return Number.POSITIVE_INFINITY;
    return this.replicas[this.replicas.length - this.starting]!.readyAt;
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
      if (r!.ready) {
        this.roundRobin = (this.roundRobin + k + 1) % n;
        r!.queue.push(request);
        this.touch(r!);
        return;
      }
    }
    this.pending.push(request);
  }

  private checkSlo(kind: LatencyKind, request: number, ms: number): void {
    const slo = this.slo;
    if (!slo || slo.kind !== kind || !(ms > slo.sloMs)) return;
    const m = slo.minuteOf[request];
    if (m === undefined || m < 0) return;
    if (++this.sloOver![m]! === slo.allowedOver[m]! + 1) this.certainViolationMinutes++;
  }

  // Brings the replica to the current time, finishes what is due, admits what fits and schedules its next event.
  private touch(r: Replica): void {
    this.progress(r);
    this.settle(r);
    this.reschedule(r);
  }

  private progress(r: Replica): void {
    const dt = this.now - r.updatedAt;
    if (dt > 0) {
      r.steps += dt * r.stepRate;
      const done = dt * r.prefillRate;
      r.headLeft -= done;
      r.backlog -= done;
    }
    r.updatedAt = this.now;
  }

  private settle(r: Replica): void {
    const llm = this.service.kind === "llm";
    for (;;) {
      // Prompts whose last chunk ran: the step that ran it samples the first token.
      while (r.prefillHead < r.prefill.length && r.headLeft <= 1e-6) {
        const carry = Math.min(0, r.headLeft);
        this.finishPrefill(r, r.prefill[r.prefillHead++]!);
        if (r.prefillHead < r.prefill.length) r.headLeft = this.context[r.prefill[r.prefillHead]!]! + carry;
      }
      if (r.prefillHead >= r.prefill.length) {
        r.prefill = [];
        r.prefillHead = 0;
        r.headLeft = 0;
        r.backlog = 0;
      }
      while (r.decoding.size && r.decoding.peekTime() <= r.steps + 1e-9) this.finish(r, r.decoding.pop());
      if (r.removed && this.now >= r.killAt && r.active > 0) this.kill(r);
      if (r.removed || !r.ready) return;
      const before = r.active;
      this.dispatch(r);
      // A prompt of no tokens is done as soon as it is admitted; anything else waits for its event.
      if (r.active === before || !llm || r.prefillHead >= r.prefill.length || r.headLeft > 1e-6) return;
    }
  }

  private reschedule(r: Replica): void {
    let next = Number.POSITIVE_INFINITY;
    if (this.service.kind === "llm") {
      const n = r.decoding.size;
      const prefilling = r.prefillHead < r.prefill.length;
      const chunk = prefilling ? Math.min(Math.max(0, this.service.maxBatchedTokens - n), Math.max(0, r.backlog)) : 0;
      if (n + chunk > 0) {
        // serving-model.ts's stepSeconds, inlined: this runs at every event.
        const kvTokens = r.decodeContext + n * r.steps - r.decodeStartSum;
        const step = Math.max(
          this.minStepSeconds + kvTokens * this.kvReadSeconds,
          (n + chunk) / this.computeTokensPerSecond,
        );
        r.stepRate = n > 0 ? 1 / step : 0;
        r.prefillRate = chunk / step;
      } else {
        r.stepRate = 0;
        r.prefillRate = 0;
      }
      if (prefilling && r.prefillRate > 0) next = this.now + Math.max(0, r.headLeft) / r.prefillRate;
      if (n > 0) next = Math.min(next, this.now + Math.max(0, r.decoding.peekTime() - r.steps) / r.stepRate);
    } else {
      // A request-serving replica: every admitted request takes the same time, so "steps" are seconds.
      r.stepRate = r.active > 0 ? 1 : 0;
      r.prefillRate = 0;
      if (r.decoding.size) next = this.now + Math.max(0, r.decoding.peekTime() - r.steps);
    }
    if (r.removed && r.active > 0) next = Math.min(next, Math.max(this.now, r.killAt));
    r.nextAt = next;
    this.events.update(r);
  }

  private finishPrefill(r: Replica, request: number): void {
    const arrival = this.traffic.arrivals[request];
    this.ttftMs[request] = (this.now - arrival!) * 1000;
    this.checkSlo("ttft", request, this.ttftMs[request]);
    if (this.observer?.kind === "ttft") this.observer.window.observe(this.now, this.ttftMs[request]);
    // The first token came with the prompt's last chunk; each further token takes a decode step.
    const further = Math.max(0, this.generated[request]! - 1);
    if (further === 0) this.finish(r, request);
    else {
      r.decoding.push(r.steps + further, request);
      this.decodeStart[request] = r.steps;
      r.decodeContext += this.context[request]!;
      r.decodeStartSum += r.steps;
    }
  }

  private finish(r: Replica, request: number): void {
    this.completedRequests++;
    const arrival = this.traffic.arrivals[request];
    this.e2eMs[request] = (this.now - arrival!) * 1000;
    if (this.service.kind !== "llm") {
      this.ttftMs[request] = this.e2eMs[request];
      this.checkSlo("ttft", request, this.e2eMs[request]);
    }
    this.checkSlo("e2e", request, this.e2eMs[request]);
    if (this.observer) {
      const ms = this.observer.kind === "ttft" ? this.ttftMs[request] : this.e2eMs[request];
      // A request-serving model's first response is its only one.
      if (this.observer.kind === "e2e" || this.service.kind !== "llm") this.observer.window.observe(this.now, ms!);
    }
    this.release(r, request);
  }

  private release(r: Replica, request: number): void {
    const start = this.decodeStart[request];
    if (!Number.isNaN(start)) {
      r.decodeContext -= this.context[request]!;
      r.decodeStartSum -= start!;
      this.decodeStart[request] = Number.NaN;
    }
    r.active--;
    r.kvUsed -= Math.min(this.context[request]! + this.generated[request]!, this.kvCapacity);
    this.running--;
    if (r.removed) r.endAt = Math.max(r.endAt, Math.min(this.now, r.killAt));
    else if (r.active === 0 && r.ready) this.busyReplicas--;
  }

  // The end of a removed replica's grace period: what it still runs fails (the client gets an error).
  private kill(r: Replica): void {
    const failed: number[] = r.prefill.slice(r.prefillHead);
    while (r.decoding.size) failed.push(r.decoding.pop());
    r.prefill = [];
    r.prefillHead = 0;
    r.headLeft = 0;
    r.backlog = 0;
    for (const request of failed) {
      this.ttftMs[request] = this.service.kind === "llm" ? this.ttftMs[request]! : Number.POSITIVE_INFINITY;
      this.e2eMs[request] = Number.POSITIVE_INFINITY;
      if (this.service.kind !== "llm" || !Number.isFinite(this.ttftMs[request]))
        this.checkSlo("ttft", request, Number.POSITIVE_INFINITY);
      this.checkSlo("e2e", request, Number.POSITIVE_INFINITY);
      this.failedRequests++;
      this.release(r, request);
    }
  }

  // Admits the replica's queued requests, in order, while a sequence slot and KV-cache room are free.
  private dispatch(r: Replica): void {
    while (r.queueHead < r.queue.length && r.active < this.slotsPerReplica) {
      const request = r.queue[r.queueHead]!;
      const context = this.context[request]!;
      // A request larger than a whole KV cache runs alone (vLLM would refuse it; the trace still counts it).
      const kv = Math.min(context + this.generated[request]!, this.kvCapacity);
      if (r.kvUsed + kv > this.kvCapacity) break;
      r.queueHead++;
      this.waiting--;
      if (r.active === 0) this.busyReplicas++;
      r.active++;
      r.kvUsed += kv;
      this.running++;
      if (this.service.kind === "llm") {
        if (r.prefillHead >= r.prefill.length) r.headLeft = context;
        r.prefill.push(request!);
        r.backlog += context;
      } else {
        r.decoding.push(
          r.steps + this.service.maxConcurrentRequests / this.service.requestsPerSecondPerReplica,
          request!,
        );
      }
    }
    // Drop what has been admitted, now and then, so the array does not grow with the trace.
    if (r.queueHead > 1024 && r.queueHead * 2 > r.queue.length) {
      r.queue = r.queue.slice(r.queueHead);
      r.queueHead = 0;
    }
  }
}
