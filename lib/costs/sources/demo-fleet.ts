// The embedded default's data (teams match the seeded demo teams vision, nlp and recsys): 90 days of a plausible GPU fleet, generated deterministically (same `now`, same
// numbers) and labelled source "demo". Patterns are chosen so every recommendation category has something to find.
import { fnv1a } from "@/lib/costs/prng";
import { DAY_MS, HOUR_MS, UNALLOCATED_TEAM, type CapacityType, type GpuSample } from "@/lib/costs/schema";

export const DEMO_SOURCE = "demo";

export type DemoPattern = "diurnal" | "steady" | "training" | "nightly" | "low" | "idle" | "unallocated" | "stuck";

/** How many of a workload's GPUs are allocated in an hour: all of them, or as many as the load needs. */
export type DemoScaling =
  | { kind: "fixed" }
  /** Replicas follow the diurnal load (an HPA), never below `floor` of the GPUs. */
  | { kind: "autoscaled"; floor: number }
  /** Drained for the weekend (Karpenter consolidates the empty nodes): only `weekendShare` of the GPUs stay. */
  | { kind: "weekdays"; weekendShare: number }
  /** The pool grew: `share` of its GPUs were added one by one from the start of the history until `doneDaysAgo`. */
  | { kind: "growing"; share: number; doneDaysAgo: number }
  /** Held only for a window of the history (an incident): from `startDaysAgo` for `hours`. */
  | { kind: "incident"; startDaysAgo: number; hours: number };

export interface FleetWorkload {
  team: string;
  workloadType: string;
  nodePool: string;
  instanceType: string;
  capacityType: CapacityType;
  gpus: number;
  pattern: DemoPattern;
  memoryGiB: number;
  /** Inference only: the model served and what one replica (one GPU) serves when fully busy. */
  /** tokensPerRequest: output tokens per request of a generative model (none for rankers and embedders). */
  model?: { name: string; version: string; capacityRps: number; tokensPerRequest?: number };
  /** Absent: every GPU is allocated every hour. */
  scaling?: DemoScaling;
}

/** The demo's history always spans this many days before `now`, whatever window is generated. */
export const DEMO_HISTORY_DAYS = 90;

/** 125 GPUs on AWS; `scale` multiplies every pool (scale 8 gives the 1,000-GPU benchmark fleet). */
export function demoFleet(scale = 1): FleetWorkload[] {
  const base: FleetWorkload[] = [
    {
      team: "recsys",
      workloadType: "inference",
      nodePool: "inference-a10g",
      instanceType: "g5.xlarge",
      capacityType: "on_demand",
      gpus: 21,
      pattern: "diurnal",
      memoryGiB: 18,
      model: { name: "ranker", version: "2026-11-02", capacityRps: 120 },
      scaling: { kind: "autoscaled", floor: 0.4 },
    },
    {
      team: "recsys",
      workloadType: "inference",
      nodePool: "inference-l4",
      instanceType: "g6.xlarge",
      capacityType: "on_demand",
      gpus: 16,
      pattern: "steady",
      memoryGiB: 14,
      model: { name: "embedder", version: "v3", capacityRps: 300 },
      scaling: { kind: "growing", share: 0.5, doneDaysAgo: 10 },
    },
    {
      team: "nlp",
      workloadType: "training",
      nodePool: "training-a100",
      instanceType: "p4d.24xlarge",
      capacityType: "on_demand",
      gpus: 32,
      pattern: "training",
      memoryGiB: 36,
    },
    {
      team: UNALLOCATED_TEAM,
      workloadType: "none",
      nodePool: "training-a100",
      instanceType: "p4d.24xlarge",
      capacityType: "on_demand",
      gpus: 8,
      pattern: "unallocated",
      memoryGiB: 0,
    },
    {
      team: "vision",
      workloadType: "training",
      nodePool: "training-spot",
      instanceType: "p4d.24xlarge",
      capacityType: "spot",
      gpus: 16,
      pattern: "training",
      memoryGiB: 34,
      scaling: { kind: "weekdays", weekendShare: 0.25 },
    },
    {
      team: "vision",
      workloadType: "batch",
      nodePool: "batch-spot",
      instanceType: "g5.xlarge",
      capacityType: "spot",
      gpus: 12,
      pattern: "nightly",
      memoryGiB: 16,
    },
    {
      team: "recsys",
      workloadType: "batch",
      nodePool: "batch-on-demand",
      instanceType: "g5.2xlarge",
      capacityType: "on_demand",
      gpus: 8,
      pattern: "nightly",
      memoryGiB: 20,
    },
    {
      team: "nlp",
      workloadType: "inference",
      nodePool: "inference-a100",
      instanceType: "p4d.24xlarge",
      capacityType: "on_demand",
      gpus: 8,
      pattern: "low",
      memoryGiB: 12,
      model: { name: "chat-llm", version: "llama-3.1-8b", capacityRps: 25, tokensPerRequest: 220 },
    },
    {
      team: "vision",
      workloadType: "notebook",
      nodePool: "notebooks",
      instanceType: "g5.12xlarge",
      capacityType: "on_demand",
      gpus: 4,
      pattern: "idle",
      memoryGiB: 3,
    },
    // The incident: a distributed training job hung on a NCCL timeout and held 16 A100s, busy with nothing, for
    // two and a half days until someone noticed. It shows as a spike in cost and in idle cost.
    {
      team: "nlp",
      workloadType: "training",
      nodePool: "training-a100",
      instanceType: "p4d.24xlarge",
      capacityType: "on_demand",
      gpus: 16,
      pattern: "stuck",
      memoryGiB: 30,
      scaling: { kind: "incident", startDaysAgo: 26, hours: 60 },
    },
  ];
  return base.map((w) => ({ ...w, gpus: w.gpus * scale }));
}

/** Load by weekday, Sunday first: Monday's peak, a quieter Friday, weekends at two thirds. */
const WEEKDAY_LOAD = [0.62, 1.06, 1.02, 1.0, 0.97, 0.86, 0.66];

/** A day's own variation (0.85–1.15), the same for every GPU and window: some days are busier than others. */
function dayLoad(ts: number): number {
  return 0.85 + 0.3 * noise01(0x5eed, Math.floor(ts / DAY_MS), 7);
}

/** The diurnal load, 0–1: peaks mid-afternoon UTC, shaped by the weekday and the day. */
function diurnalLoad(ts: number): number {
  const h = Math.floor(ts / HOUR_MS) % 24;
  const dow = (Math.floor(ts / DAY_MS) + 4) % 7;
  const f = 0.5 + 0.5 * Math.cos((2 * Math.PI * (h - 15)) / 24);
  return Math.min(1, f * (WEEKDAY_LOAD[dow] ?? 1) * dayLoad(ts));
}

function utilizationAt(pattern: DemoPattern, ts: number, rnd: () => number): number {
  // Arithmetic instead of Date: this runs 2 million times in the benchmark. 1970-01-01 was a Thursday (4).
  const h = Math.floor(ts / HOUR_MS) % 24;
  const dow = (Math.floor(ts / DAY_MS) + 4) % 7;
  const weekend = dow === 0 || dow === 6;
  const noise = (spread: number) => (rnd() * 2 - 1) * spread;
  switch (pattern) {
    case "diurnal":
      return 8 + 74 * diurnalLoad(ts) + noise(4);
    case "steady":
      return 70 + noise(8);
    case "training":
      return weekend ? 1.5 + noise(1) : Math.min(99, 88 * dayLoad(ts)) + noise(6);
    case "nightly":
      return h < 6 ? 90 + noise(5) : 3 + noise(2);
    case "low":
      return 12 + noise(6);
    case "idle":
      return 2 + noise(1.5);
    case "unallocated":
      return 0;
    case "stuck":
      return 0.5 + noise(0.5);
  }
}

/**
 * Whether GPU `index` of `w` is allocated in the hour at `ts`. Depends only on the hour and the history's end, so any
 * window of the same history regenerates the same GPUs.
 */
export function isAllocated(w: FleetWorkload, index: number, ts: number, historyEnd: number): boolean {
  const scaling = w.scaling ?? { kind: "fixed" };
  switch (scaling.kind) {
    case "fixed":
      return true;
    case "autoscaled":
      return index < Math.ceil(w.gpus * (scaling.floor + (1 - scaling.floor) * diurnalLoad(ts)));
    case "weekdays": {
      const dow = (Math.floor(ts / DAY_MS) + 4) % 7;
      return (dow !== 0 && dow !== 6) || index < Math.round(w.gpus * scaling.weekendShare);
    }
    case "growing": {
      const added = Math.round(w.gpus * scaling.share);
      const first = w.gpus - added;
      if (index < first) return true;
      // Added one by one, evenly, between the history's start and `doneDaysAgo` before its end.
      const start = historyEnd - DEMO_HISTORY_DAYS * DAY_MS;
      const span = (DEMO_HISTORY_DAYS - scaling.doneDaysAgo) * DAY_MS;
      return ts >= start + Math.floor((span * (index - first + 1)) / added / HOUR_MS) * HOUR_MS;
    }
    case "incident": {
      const from = historyEnd - scaling.startDaysAgo * DAY_MS;
      return ts >= from && ts < from + scaling.hours * HOUR_MS;
    }
  }
}

/** A pattern's utilization at `ts` without noise, 0–100: what the demo's model-server load follows. */
export function levelAt(pattern: DemoPattern, ts: number): number {
  return Math.min(
    100,
    Math.max(
      0,
      utilizationAt(pattern, ts, () => 0.5),
    ),
  );
}

function noise01(seed: number, hourIndex: number, k: number): number {
  let h = (seed ^ Math.imul(hourIndex, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Hourly samples per GPU for the `days` before `now` (hour-aligned), hour by hour (so a rollup can seal each hour
 * as soon as it is complete). A generator, so 2 million samples stream through without being held in memory.
 */
export function* demoSamples(options: {
  now: number;
  days: number;
  fleet?: FleetWorkload[];
  seed?: number;
  from?: number;
}): Generator<GpuSample> {
  const fleet = options.fleet ?? demoFleet();
  const end = Math.floor(options.now / HOUR_MS) * HOUR_MS;
  const start = Math.max(
    end - options.days * DAY_MS,
    options.from === undefined ? -Infinity : Math.floor(options.from / HOUR_MS) * HOUR_MS,
  );
  const seed = options.seed ?? 20_241_001;
  const gpus = fleet.flatMap((w) => {
    const gpusPerNode =
      w.instanceType.startsWith("p4d") || w.instanceType.startsWith("p5")
        ? 8
        : w.instanceType === "g5.12xlarge"
          ? 4
          : 1;
    return Array.from({ length: w.gpus }, (_, g) => {
      const gpuId = `${w.nodePool}/${w.team}${w.pattern === "stuck" ? "/stuck" : ""}/${g}`;
      return {
        w,
        g,
        gpuId,
        node: `${w.nodePool}-${Math.floor(g / gpusPerNode)}${w.pattern === "unallocated" ? "-u" : w.pattern === "stuck" ? "-x" : ""}`,
        gpuSeed: (parseInt(fnv1a(gpuId), 16) ^ seed) >>> 0,
      };
    });
  });
  for (let ts = start; ts < end; ts += HOUR_MS) {
    const hourIndex = ts / HOUR_MS;
    for (const { w, g, gpuId, node, gpuSeed } of gpus) {
      if (!isAllocated(w, g, ts, end)) continue;
      // Noise depends only on (GPU, hour), so any window regenerates the same values for the same hour.
      let k = 0;
      const rnd = () => noise01(gpuSeed, hourIndex, k++);
      const util = Math.min(100, Math.max(0, utilizationAt(w.pattern, ts, rnd)));
      const memGiB = w.pattern === "unallocated" ? 0 : Math.max(0.5, w.memoryGiB * (0.85 + 0.15 * rnd()));
      yield {
        ts,
        hours: 1,
        gpuId,
        node,
        team: w.team,
        workloadType: w.workloadType,
        nodePool: w.nodePool,
        instanceType: w.instanceType,
        capacityType: w.capacityType,
        // A GPU nobody requested is still paid for: it is charged to the "unallocated" team (OpenCost's idle).
        requestedGpus: 1,
        utilization: util,
        memoryUsedMiB: Math.round(memGiB * 1024),
      };
    }
  }
}
