// The embedded default's data (teams match the seeded demo teams vision, nlp and recsys): 90 days of a plausible GPU fleet, generated deterministically (same `now`, same
// numbers) and labelled source "demo". It has what a real fleet's charts show: each team's users keep their own
// working hours (inference peaks early afternoon in the team's time zone and is quiet at night and at weekends),
// training runs as jobs that start when submitted and queue on weekdays, batch runs at night, a growing team grows,
// and the quarter has an outage and a runaway job. Patterns are chosen so every recommendation category has something to find.
import { fnv1a, mulberry32 } from "@/lib/costs/prng";
import { DAY_MS, HOUR_MS, UNALLOCATED_TEAM, type CapacityType, type GpuSample } from "@/lib/costs/schema";

export const DEMO_SOURCE = "demo";

export type DemoPattern =
  "diurnal" | "steady" | "training" | "pretraining" | "nightly" | "low" | "idle" | "unallocated" | "stuck";

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
  | { kind: "incident"; startDaysAgo: number; hours: number }
  /** Nodes come up for a training job and go when it ends (Karpenter): a node's GPUs are allocated while a job runs. */
  | { kind: "jobs" };

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
  // NLP's pre-training, its experiments and its hung job share one on-demand A100 pool.
  const nlpOnA100 = {
    team: "nlp",
    workloadType: "training",
    nodePool: "training-a100",
    instanceType: "p4d.24xlarge",
    capacityType: "on_demand",
  } as const;
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
    // NLP's pre-training run holds three nodes for the whole quarter; its experiments get a node per job.
    {
      ...nlpOnA100,
      gpus: 24,
      pattern: "pretraining",
      memoryGiB: 36,
    },
    {
      ...nlpOnA100,
      gpus: 16,
      pattern: "training",
      memoryGiB: 34,
      scaling: { kind: "jobs" },
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
      ...nlpOnA100,
      gpus: 16,
      pattern: "stuck",
      memoryGiB: 30,
      scaling: { kind: "incident", startDaysAgo: 26, hours: 60 },
    },
  ];
  return base.map((w) => ({ ...w, gpus: w.gpus * scale }));
}

/**
 * Each team's users and the hours they keep: a whole-hour offset from UTC (standard time) and how much its load grew
 * over the history (0.35: the last day is 35% busier than the first).
 */
export const DEMO_TEAM_PROFILES: Readonly<Record<string, { utcOffsetHours: number; growth: number }>> = {
  recsys: { utcOffsetHours: -5, growth: 0.35 }, // New York
  nlp: { utcOffsetHours: 1, growth: 0.15 }, // Berlin
  vision: { utcOffsetHours: -8, growth: 0 }, // San Francisco
};
const profileOf = (team: string) => DEMO_TEAM_PROFILES[team] ?? { utcOffsetHours: 0, growth: 0 };

/** Interactive load by local weekday, Sunday first: mid-week busiest, a quieter Friday, weekends at about half. */
const WEEKDAY_LOAD = [0.42, 0.95, 1.04, 1.0, 0.96, 0.84, 0.5];
/** Interactive load peaks at 13:30 local, rising through the morning and tailing off in the evening. */
const PEAK_HOUR = 13.5;

/** The recsys ranker's upstream went down for an afternoon: traffic fell to a tenth and the autoscaler followed. */
export const DEMO_OUTAGE = { team: "recsys", daysAgo: 41, localStartHour: 11, hours: 6 } as const;

/** Hour and weekday (0 = Sunday) at `ts` in a team's time zone. Arithmetic: this runs millions of times in the benchmark. */
function localTime(team: string, ts: number): { hour: number; dow: number; day: number } {
  const t = ts + profileOf(team).utcOffsetHours * HOUR_MS;
  const day = Math.floor(t / DAY_MS);
  // 1970-01-01 was a Thursday (4).
  return { hour: Math.floor((t - day * DAY_MS) / HOUR_MS), dow: (((day + 4) % 7) + 7) % 7, day };
}

const seedOf = (w: FleetWorkload) => parseInt(fnv1a(`${w.nodePool}/${w.team}/${w.pattern}`), 16);

/** A workload's own hour-to-hour noise, −1…1, shared by its GPUs: half of it carries over from the hour before. */
function hourNoise(seed: number, ts: number): number {
  const h = Math.floor(ts / HOUR_MS);
  return 0.6 * (noise01(seed, h, 3) * 2 - 1) + 0.4 * (noise01(seed, h - 1, 3) * 2 - 1);
}

/** 1 at the history's end, 1 / (1 + growth) at its start, linear in between. */
function growthAt(team: string, ts: number, historyEnd: number): number {
  const { growth } = profileOf(team);
  const start = historyEnd - DEMO_HISTORY_DAYS * DAY_MS;
  const p = Math.min(1, Math.max(0, (ts - start) / (DEMO_HISTORY_DAYS * DAY_MS)));
  return (1 + growth * p) / (1 + growth);
}

function inOutage(team: string, ts: number, historyEnd: number): boolean {
  if (team !== DEMO_OUTAGE.team) return false;
  const { day, hour } = localTime(team, ts);
  const outageDay = localTime(team, historyEnd - DEMO_OUTAGE.daysAgo * DAY_MS).day;
  return (
    day === outageDay && hour >= DEMO_OUTAGE.localStartHour && hour < DEMO_OUTAGE.localStartHour + DEMO_OUTAGE.hours
  );
}

/**
 * The load of a workload's users at `ts`, about 0–1 (1: a weekday peak at the history's end): low at night, a peak
 * early afternoon in the team's time zone, lower at weekends, busier or quieter days, hour-to-hour noise and growth.
 */
export function userLoad(w: FleetWorkload, ts: number, historyEnd: number): number {
  const { hour, dow, day } = localTime(w.team, ts);
  const seed = seedOf(w);
  const x = hour + 0.5 - PEAK_HOUR;
  const bump = Math.exp(-((x / (x < 0 ? 4 : 5)) ** 2));
  const dayFactor = 0.92 + 0.16 * noise01(seed, day, 1);
  // Some users are always on: a trough before dawn, more of them in the evening than at 3:00.
  const alwaysOn = 0.1 + 0.06 * Math.cos((2 * Math.PI * (x + 0.5)) / 24);
  const load =
    (alwaysOn + 0.84 * bump * (WEEKDAY_LOAD[dow] ?? 1)) *
    dayFactor *
    (1 + 0.06 * hourNoise(seed, ts)) *
    growthAt(w.team, ts, historyEnd);
  return inOutage(w.team, ts, historyEnd) ? load * 0.1 : load;
}

/** A training job on one node: from `start` to `end` (epoch ms, whole hours). */
interface Job {
  start: number;
  end: number;
}

const jobCache = new Map<string, Job[]>();

/**
 * The jobs one node of a training pool runs in the local week (Monday 6:00 to Monday 6:00) that holds `ts`. Jobs
 * start when someone submits them: within hours on a weekday (the queue), overnight or at weekends only sometimes;
 * they run 4–54 hours, so Friday's long runs go on into the weekend, and stop by Monday 6:00 (the cluster's weekly
 * maintenance window). Depends on the week alone, so any window of the history regenerates the same jobs.
 */
function weekJobs(w: FleetWorkload, node: number, ts: number): Job[] {
  const offset = profileOf(w.team).utcOffsetHours * HOUR_MS;
  // Local weeks start on Monday 6:00: 1970-01-05 was a Monday.
  const weekOrigin = 4 * DAY_MS + 6 * HOUR_MS;
  const week = Math.floor((ts + offset - weekOrigin) / (7 * DAY_MS));
  const key = `${seedOf(w)}|${node}|${week}`;
  const cached = jobCache.get(key);
  if (cached) return cached;
  const weekStart = week * 7 * DAY_MS + weekOrigin - offset;
  const weekEnd = weekStart + 7 * DAY_MS;
  const rnd = mulberry32((seedOf(w) ^ Math.imul(node + 1, 0x9e3779b1) ^ Math.imul(week, 0x85ebca6b)) >>> 0);
  const jobs: Job[] = [];
  let t = weekStart;
  for (;;) {
    const { hour, dow } = localTime(w.team, t);
    const workday = dow >= 1 && dow <= 5;
    let wait: number;
    if (workday && hour >= 8 && hour < 19) wait = Math.floor(rnd() * 3);
    else if (rnd() < (workday ? 0.35 : 0.2)) wait = 1 + Math.floor(rnd() * 5);
    else {
      // Until someone is back at work: the next weekday's 9:00–11:00.
      let days = 1;
      while (![1, 2, 3, 4, 5].includes((dow + days) % 7)) days++;
      if (workday && hour < 8) days = 0;
      wait = days * 24 + 9 - hour + Math.floor(rnd() * 3);
    }
    const start = t + wait * HOUR_MS;
    if (start >= weekEnd) break;
    const hours = Math.round(Math.exp(Math.log(4) + rnd() * (Math.log(54) - Math.log(4))));
    const end = Math.min(weekEnd, start + hours * HOUR_MS);
    jobs.push({ start, end });
    t = end;
  }
  if (jobCache.size > 4096) jobCache.clear();
  jobCache.set(key, jobs);
  return jobs;
}

function jobAt(w: FleetWorkload, node: number, ts: number): Job | undefined {
  return weekJobs(w, node, ts).find((j) => ts >= j.start && ts < j.end);
}

function gpusPerNodeOf(instanceType: string): number {
  if (instanceType.startsWith("p4d") || instanceType.startsWith("p5")) return 8;
  return instanceType === "g5.12xlarge" ? 4 : 1;
}

function utilizationAt(w: FleetWorkload, index: number, ts: number, historyEnd: number, rnd: () => number): number {
  const { hour, dow, day } = localTime(w.team, ts);
  const seed = seedOf(w);
  const noise = (spread: number) => (rnd() * 2 - 1) * spread;
  switch (w.pattern) {
    case "diurnal":
      return 6 + 80 * userLoad(w, ts, historyEnd) + noise(3);
    case "steady":
      // Embeddings for the index all day, plus the users' queries.
      return 42 + 30 * userLoad(w, ts, historyEnd) + noise(4);
    case "low":
      return 3 + 18 * userLoad(w, ts, historyEnd) + noise(2);
    case "training": {
      const job = jobAt(w, Math.floor(index / gpusPerNodeOf(w.instanceType)), ts);
      if (!job) return 1.5 + noise(1);
      const k = (ts - job.start) / HOUR_MS;
      // Loading data and compiling first, evaluating at the end, a checkpoint every few hours.
      if (k === 0) return 45 + 20 * noise01(seed, ts / HOUR_MS, 5) + noise(4);
      if (ts + HOUR_MS >= job.end) return 62 + noise(6);
      return 91 - (k % 5 === 0 ? 14 : 0) + 5 * hourNoise(seed, ts) + noise(3);
    }
    case "pretraining":
      // A node fails about once a fortnight: the run restarts from its last checkpoint, a couple of quiet hours.
      if (noise01(seed, day, 6) < 0.07 && Math.abs(hour - 3 - Math.floor(10 * noise01(seed, day, 7))) < 2)
        return 8 + noise(4);
      return 92 + 4 * hourNoise(seed, ts) + noise(2);
    case "nightly": {
      // The nightly jobs start between midnight and 2:00 local and each GPU's share takes 3–6 hours.
      const first = Math.floor(3 * noise01(seed, day, 8));
      const hours = 3 + Math.floor(4 * noise01(seed ^ index, day, 9));
      const lighter = dow === 0 || dow === 6 ? 0.8 : 1;
      return hour >= first && hour < first + hours
        ? (hour === first ? 62 : 84) * lighter + 6 * hourNoise(seed, ts) + noise(4)
        : 2.5 + noise(1.5);
    }
    case "idle": {
      // Used in working hours until someone left the notebooks running three weeks ago.
      const abandoned = ts >= historyEnd - 21 * DAY_MS;
      const working = dow >= 1 && dow <= 5 && hour >= 9 && hour < 18;
      return !abandoned && working && noise01(seed ^ index, ts / HOUR_MS, 10) < 0.5
        ? 15 + 25 * noise01(seed, ts / HOUR_MS, 11)
        : 2 + noise(1.5);
    }
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
      return (
        index < Math.ceil(w.gpus * (scaling.floor + (1 - scaling.floor) * Math.min(1, userLoad(w, ts, historyEnd))))
      );
    case "weekdays": {
      const { dow } = localTime(w.team, ts);
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
    case "jobs":
      return jobAt(w, Math.floor(index / gpusPerNodeOf(w.instanceType)), ts) !== undefined;
  }
}

/** A workload's utilization at `ts` without per-GPU noise, 0–100: what the demo's model-server load follows. */
export function levelAt(w: FleetWorkload, ts: number, historyEnd: number): number {
  return Math.min(
    100,
    Math.max(
      0,
      utilizationAt(w, 0, ts, historyEnd, () => 0.5),
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
    const gpusPerNode = gpusPerNodeOf(w.instanceType);
    // Workloads sharing a pool and team (the stuck job, the experiments) keep their own GPUs and nodes.
    const variant = w.pattern === "stuck" ? "stuck" : w.scaling?.kind === "jobs" ? "jobs" : "";
    return Array.from({ length: w.gpus }, (_, g) => {
      const gpuId = `${w.nodePool}/${w.team}${variant ? `/${variant}` : ""}/${g}`;
      return {
        w,
        g,
        gpuId,
        node: `${w.nodePool}-${Math.floor(g / gpusPerNode)}${w.pattern === "unallocated" ? "-u" : variant === "stuck" ? "-x" : variant === "jobs" ? "-j" : ""}`,
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
      const util = Math.min(100, Math.max(0, utilizationAt(w, g, ts, end, rnd)));
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
