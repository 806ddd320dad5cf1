// How much of an ingestion's GPU-hours could be attributed to a team, a node pool and a price, and for the rest the
// cause and the fix, so a cluster whose labels the portal cannot read shows a message instead of a silent $0. Pure:
// computed from the joined samples (their provenance) and the prices the ingestion used.
import { z } from "zod";
import { kubeLabelColumn, type LabelMapping } from "./label-mapping";
import type { PriceSource } from "@/lib/pricing/live-prices";
import type { SamplePrice } from "@/lib/pricing/sample-prices";
import { HOUR_MS, UNALLOCATED_TEAM, type GpuSample } from "@/lib/costs/schema";

/** A GPU at or above this utilization with no requesting pod is in use by something the data does not name. */
export const BUSY_UTILIZATION = 5;

export const dataHealthCodes = [
  "team-label-missing",
  "exported-labels",
  "ksm-exported-labels",
  "hostname-not-node",
  "node-unknown",
  "pool-label-missing",
  "instance-type-missing",
  "capacity-unknown",
  "price-estimated",
  "unpriced",
  "busy-unallocated",
  "price-region-mismatch",
] as const;
export type DataHealthCode = (typeof dataHealthCodes)[number];

export const dataHealthIssueSchema = z.object({
  code: z.enum(dataHealthCodes),
  gpuHours: z.number(),
  cause: z.string(),
  fix: z.string(),
});

export const dataHealthSchema = z.object({
  /** The ingested window, epoch ms. */
  from: z.number(),
  until: z.number(),
  /** The first and last hour with data (start and end of the hour, epoch ms); null when there was none. Absent on older runs. */
  dataFrom: z.number().nullable().optional(),
  dataUntil: z.number().nullable().optional(),
  gpuHours: z.number(),
  /** Owned by a team named by the team label, or idle with no pod (truly nobody's). */
  teamGpuHours: z.number(),
  poolGpuHours: z.number(),
  /** On nodes whose capacity type (spot or on demand) is known. Absent on older runs. */
  capacityGpuHours: z.number().optional(),
  /** Priced at the list price of their own instance type. */
  pricedGpuHours: z.number(),
  /** Priced at the pool's most-used type or the cheapest type with the same GPU (an estimate). */
  estimatedPriceGpuHours: z.number(),
  /** Counted at $0: no instance type, pool or GPU model gave a price. */
  unpricedGpuHours: z.number(),
  busyUnallocatedGpuHours: z.number(),
  /** Whose prices: the price API's (live) or the offline table's, with regions and dates. Absent on older runs. */
  prices: z
    .object({
      kind: z.enum(["live", "table", "mixed"]),
      region: z.string(),
      tableRegion: z.string(),
      tableAsOf: z.string(),
      liveAsOf: z.string().nullable(),
      clusterRegion: z.string().optional(),
      refreshError: z.string().optional(),
    })
    .optional(),
  issues: z.array(dataHealthIssueSchema),
});
export type DataHealth = z.infer<typeof dataHealthSchema>;

export interface DataHealthInput {
  samples: readonly GpuSample[];
  price: (s: GpuSample) => SamplePrice;
  mapping: LabelMapping;
  from: number;
  until: number;
  /** Where the prices came from; `isLive` tells a type priced from the price API's cache. */
  prices?: PriceSource & {
    clusterRegion?: string;
    refreshError?: string;
    /** Whose live prices were read. */ liveRegion?: string;
  };
  isLive?: (instanceType: string) => boolean;
}

const code = (text: string) => `\`${text}\``;

export function computeDataHealth({
  samples,
  price,
  mapping,
  from,
  until,
  prices,
  isLive = () => false,
}: DataHealthInput): DataHealth {
  const sums = new Map<DataHealthCode, number>();
  const add = (c: DataHealthCode, hours: number) => sums.set(c, (sums.get(c) ?? 0) + hours);
  const estimatedTypes = new Map<string, string>();
  const mismatchedLists = new Set<string>();
  let gpuHours = 0,
    teamGpuHours = 0,
    poolGpuHours = 0,
    capacityGpuHours = 0,
    pricedGpuHours = 0,
    estimatedPriceGpuHours = 0,
    unpricedGpuHours = 0,
    busyUnallocatedGpuHours = 0;
  let dataFrom = Infinity,
    dataUntil = -Infinity;
  for (const s of samples) {
    // A sample starts within its hour (a part-hour one later): its hour is the one it starts in.
    const hour = Math.floor(s.ts / HOUR_MS) * HOUR_MS;
    dataFrom = Math.min(dataFrom, hour);
    dataUntil = Math.max(dataUntil, hour + HOUR_MS);
    const h = s.hours;
    const p = s.provenance;
    gpuHours += h;
    const busyUnallocated = s.team === UNALLOCATED_TEAM && s.utilization >= BUSY_UTILIZATION;
    if (busyUnallocated) busyUnallocatedGpuHours += h;
    if ((p ? p.teamFrom === "label" : s.team !== "unknown") || (s.team === UNALLOCATED_TEAM && !busyUnallocated))
      teamGpuHours += h;
    if (busyUnallocated) add("busy-unallocated", h);
    if (p?.teamFrom === "namespace") add("team-label-missing", h);
    if (p?.exportedLabels) add("exported-labels", h);
    if (p?.ksmExportedLabels) add("ksm-exported-labels", h);
    if (p?.nodeFrom === "pod" || p?.nodeFrom === "exporter") add("hostname-not-node", h);
    if (p?.nodeFrom === "unknown") add("node-unknown", h);
    if (s.nodePool !== "unknown") poolGpuHours += h;
    else if (p?.nodeFrom !== "unknown") add("pool-label-missing", h);
    if (s.instanceType === "unknown" && p?.nodeFrom !== "unknown") add("instance-type-missing", h);
    if (s.capacityType !== "unknown") capacityGpuHours += h;
    else if (p?.nodeFrom !== "unknown") add("capacity-unknown", h);
    const priced = price(s);
    // Live or table, a price list of another region than the cluster's is a mismatch.
    const live = isLive(priced.pricedAs ?? s.instanceType);
    const pricedRegion = live ? (prices?.liveRegion ?? prices?.region) : prices?.tableRegion;
    if (priced.basis !== "none" && prices?.clusterRegion !== undefined && prices.clusterRegion !== pricedRegion) {
      add("price-region-mismatch", h);
      mismatchedLists.add(live ? `the live prices of ${pricedRegion}` : "table");
    }
    if (priced.basis === "list") pricedGpuHours += h;
    else if (priced.basis === "none") {
      unpricedGpuHours += h;
      add("unpriced", h);
    } else {
      estimatedPriceGpuHours += h;
      add("price-estimated", h);
      estimatedTypes.set(s.instanceType, priced.pricedAs ?? "");
    }
  }
  const teamColumn = code(kubeLabelColumn(mapping.team[0] ?? "team"));
  const nodeKeys = [...mapping.nodePool, ...mapping.capacityType, ...mapping.instanceType];
  const texts: Record<DataHealthCode, { cause: string; fix: string }> = {
    "team-label-missing": {
      cause: `pods have no ${teamColumn}`,
      fix: `start kube-state-metrics with ${code(`--metric-labels-allowlist=pods=[${[...mapping.team, ...mapping.workloadType].join(",")}]`)} (until then the namespace stands in for the team), or set the team key in Settings to the label your pods carry`,
    },
    "exported-labels": {
      cause: `DCGM series carry ${code("exported_pod")}`,
      fix: `set ${code("honorLabels: true")} on the DCGM exporter's ServiceMonitor (the portal reads ${code("exported_pod")}, other dashboards may not)`,
    },
    "ksm-exported-labels": {
      cause: `kube-state-metrics series carry ${code("exported_pod")}`,
      fix: `set ${code("honorLabels: true")} on kube-state-metrics' ServiceMonitor (the portal reads ${code("exported_pod")}, other dashboards may not)`,
    },
    "hostname-not-node": {
      cause: `DCGM's ${code("Hostname")} is not a node name (dcgm-exporter runs without ${code("NODE_NAME")}): the node was taken from the pod's ${code("kube_pod_info")}`,
      fix: `set ${code("NODE_NAME")} from ${code("spec.nodeName")} in dcgm-exporter's environment`,
    },
    "node-unknown": {
      cause: `DCGM's ${code("Hostname")} matches no node in ${code("kube_node_labels")} and no pod places the GPU`,
      fix: `scrape kube-state-metrics in the same Prometheus and set ${code("NODE_NAME")} on dcgm-exporter`,
    },
    "pool-label-missing": {
      cause: `nodes have none of the pool labels ${mapping.nodePool.map((k) => code(kubeLabelColumn(k))).join(", ") || "(none configured)"}: pool "unknown"`,
      fix: `start kube-state-metrics with ${code(`--metric-labels-allowlist=nodes=[${nodeKeys.join(",")}]`)}, or set the node label convention or the node pool label in Settings`,
    },
    "instance-type-missing": {
      cause: `nodes have no ${mapping.instanceType.map((k) => code(kubeLabelColumn(k))).join(" or ")}: the instance type is unknown`,
      fix: `start kube-state-metrics with ${code(`--metric-labels-allowlist=nodes=[${nodeKeys.join(",")}]`)}`,
    },
    "capacity-unknown": {
      cause: `nodes have no ${mapping.capacityType.map((k) => code(kubeLabelColumn(k))).join(" or ")}: whether they are spot or on demand is unknown, so they are priced on demand and get no spot advice`,
      fix: `add ${code(`nodes=[${nodeKeys.join(",")}]`)} to kube-state-metrics' ${code("--metric-labels-allowlist")}, or set the capacity type label in Settings`,
    },
    "price-estimated": {
      cause: `no list price for ${[...estimatedTypes].map(([type, as]) => `${type} (priced as ${as})`).join(", ")}: an estimate`,
      fix: "add the instance type to the price table, or fix the node labels above",
    },
    unpriced: {
      cause: "no instance type, pool or GPU model gives these GPU-hours a price: they are counted at $0",
      fix: "fix the node labels above, or add the instance type to the price table",
    },
    "price-region-mismatch": {
      cause: `the cluster runs in ${prices?.clusterRegion ?? "another region"} but these GPU-hours are priced from ${[
        ...mismatchedLists,
      ]
        .map((l) =>
          l === "table"
            ? `the offline table of ${prices?.tableRegion ?? "its region"} (as of ${prices?.tableAsOf ?? "its date"})`
            : l,
        )
        .join(" and ")}${prices?.refreshError ? `; the live price refresh failed: ${prices.refreshError}` : ""}`,
      fix: "turn on live prices in Settings (the cloud's price API for the cluster's region), or check the cluster region",
    },
    "busy-unallocated": {
      cause: `GPUs busy (≥ ${BUSY_UTILIZATION}%) that no pod requests: the DCGM pod labels do not match ${code("kube_pod_container_resource_requests")}`,
      fix: `set ${code("honorLabels: true")} on the DCGM exporter's and kube-state-metrics' ServiceMonitors and check that kube-state-metrics is scraped; such capacity is never advised for removal`,
    },
  };
  const issues = dataHealthCodes
    .filter((c) => (sums.get(c) ?? 0) > 0)
    .map((c) => ({ code: c, gpuHours: sums.get(c)!, ...texts[c] }));
  return {
    from,
    until,
    dataFrom: samples.length ? dataFrom : null,
    dataUntil: samples.length ? dataUntil : null,
    gpuHours,
    teamGpuHours,
    poolGpuHours,
    capacityGpuHours,
    pricedGpuHours,
    estimatedPriceGpuHours,
    unpricedGpuHours,
    busyUnallocatedGpuHours,
    ...(prices ? { prices } : {}),
    issues,
  };
}

/**
 * Shares (0–1) of a health record's GPU-hours; all 1 when there were none. `capacity` is null for records written
 * before the capacity share was measured.
 */
export function healthShares(
  h: Pick<
    DataHealth,
    "gpuHours" | "teamGpuHours" | "poolGpuHours" | "capacityGpuHours" | "pricedGpuHours" | "estimatedPriceGpuHours"
  >,
): { team: number; pool: number; capacity: number | null; price: number; listPrice: number } {
  const share = (n: number) => (h.gpuHours > 0 ? n / h.gpuHours : 1);
  return {
    team: share(h.teamGpuHours),
    pool: share(h.poolGpuHours),
    capacity: h.capacityGpuHours === undefined ? null : share(h.capacityGpuHours),
    price: share(h.pricedGpuHours + h.estimatedPriceGpuHours),
    listPrice: share(h.pricedGpuHours),
  };
}
