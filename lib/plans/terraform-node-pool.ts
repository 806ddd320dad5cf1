// One renderer for a node pool's Terraform on EKS, GKE and AKS. The pool's fields (min/max nodes, labels, taints,
// disk, capacity type) are cloud-neutral as nodePoolSchema parses them; what differs between the providers is
// spelling and shape, kept as data in `dialects` below: attribute names, whether the pool is a resource of its own
// (GKE, AKS) or an entry of the EKS module's node-group map, where nested blocks go, and how taints are written.
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { hclRaw, hclString, hclValue, type HclValue } from "./hcl";
import { isTrainingPool } from "./node-upgrades";
import { poolTaints, taintString, type PlanContext } from "./plan-context";
import type { NodePool } from "./schema";

/** The pool's Terraform label (its resource name, or its key in EKS's node-group map): hyphens become underscores. */
export function terraformPoolLabel(pool: NodePool): string {
  return pool.name.replace(/-/g, "_");
}

/** Taint effects as the EKS and GKE APIs spell them; AKS takes the kubectl spelling instead (see taintString). */
export const providerTaintEffect = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
} as const;

/** An attribute, or a nested block (blank: a blank line before it, as the files have always been laid out). */
type Entry = { key: string; value: HclValue } | { block: string; body: Entry[]; blank?: boolean };

/** What a pool is on one cloud, before it is spelled in that cloud's dialect. */
export interface PoolSpec {
  pool: NodePool;
  /** The cloud's name for the pool (AKS: at most 12 lowercase alphanumerics). */
  name: string;
  gpu: boolean;
  efa: boolean;
  /** GKE/AKS multi-node training pools: one zone, COMPACT placement (GKE) or a proximity placement group (AKS). */
  colocated?: boolean;
}

const attr = (key: string, value: HclValue): Entry => ({ key, value });
const block = (name: string, body: Entry[], blank = true): Entry => ({ block: name, body, blank });

const gkeGpuModel: Record<string, string> = {
  "nvidia-a100": "nvidia-tesla-a100",
  "nvidia-a100-80gb": "nvidia-a100-80gb",
  "nvidia-l4": "nvidia-l4",
  "nvidia-h100": "nvidia-h100-80gb",
  "nvidia-h200": "nvidia-h200-141gb",
};

interface Dialect {
  /** Terraform resource type, or null for an entry of the EKS module's eks_managed_node_groups map. */
  resource: string | null;
  body(ctx: PlanContext, spec: PoolSpec): Entry[];
}

const dialects: Record<"aws" | "gcp" | "azure", Dialect> = {
  // EKS: the pool's floor as a fixed-size managed node group (Karpenter adds every node above it), its root volume
  // through block_device_mappings (with its custom launch template the module ignores disk_size), EFA pools in the
  // training placement group.
  aws: {
    resource: null,
    body: (_ctx, { pool, name, gpu, efa }) => [
      attr("name", name),
      attr("instance_types", [pool.instance_type]),
      attr("capacity_type", pool.capacity_type === "spot" ? "SPOT" : "ON_DEMAND"),
      attr("ami_type", gpu ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD"),
      attr("min_size", pool.min_nodes),
      attr("max_size", pool.min_nodes),
      attr("desired_size", pool.min_nodes),
      attr("block_device_mappings", eksRootVolume(pool.disk_size_gib)),
      ...(efa
        ? [
            attr("enable_efa_support", true),
            attr("subnet_ids", hclRaw("[module.vpc.private_subnets[0]]")),
            attr("placement", { group_name: hclRaw("aws_placement_group.training.name") }),
          ]
        : []),
      attr("labels", pool.labels),
      // The module passes try(taint.value, null): a key-only taint simply has no value.
      attr(
        "taints",
        Object.fromEntries(
          pool.taints.map((t, i) => [
            `taint${i}`,
            { key: t.key, ...(t.value ? { value: t.value } : {}), effect: providerTaintEffect[t.effect] },
          ]),
        ),
      ),
    ],
  },
  // GKE: the cluster autoscaler between min and max, GPUs as guest_accelerator with the driver GKE installs.
  gcp: {
    resource: "google_container_node_pool",
    body: (ctx, { pool, name, colocated }) => {
      const price = lookupPrice("gcp", pool.instance_type);
      const accelerator =
        price && price.gpuCount > 0 && price.gpuType
          ? [
              block(
                "guest_accelerator",
                [
                  attr("type", gkeGpuModel[price.gpuType] ?? price.gpuType),
                  attr("count", price.gpuCount),
                  block("gpu_driver_installation_config", [attr("gpu_driver_version", "DEFAULT")], false),
                ],
                false,
              ),
            ]
          : [];
      return [
        attr("name", name),
        attr("cluster", hclRaw("google_container_cluster.ml.id")),
        attr("location", hclRaw("var.region")),
        // NCCL between ranks across a region's zones (or racks) loses most of the GPUs' bandwidth: a COMPACT policy
        // places the nodes close together. GKE allows it only for a single-zone pool, sets it at creation, and not
        // with blue-green upgrades (the surge upgrade below is fine).
        ...(colocated ? [attr("node_locations", [hclRaw("var.training_zone")])] : []),
        block("autoscaling", [
          attr("total_min_node_count", pool.min_nodes),
          attr("total_max_node_count", pool.max_nodes),
        ]),
        block("management", [attr("auto_repair", true), attr("auto_upgrade", true)]),
        ...(colocated ? [block("placement_policy", [attr("type", "COMPACT")])] : []),
        // Training nodes are replaced one at a time, a new one up before the old one drains.
        ...(isTrainingPool(pool)
          ? [block("upgrade_settings", [attr("max_surge", 1), attr("max_unavailable", 0)])]
          : []),
        block("node_config", [
          attr("machine_type", pool.instance_type),
          attr("spot", pool.capacity_type === "spot"),
          attr("disk_size_gb", pool.disk_size_gib),
          attr("service_account", hclRaw("google_service_account.nodes.email")),
          attr("oauth_scopes", ["https://www.googleapis.com/auth/cloud-platform"]),
          attr("labels", pool.labels),
          block("workload_metadata_config", [attr("mode", "GKE_METADATA")]),
          block("shielded_instance_config", [attr("enable_secure_boot", true)]),
          ...accelerator,
          ...pool.taints.map((t) =>
            block(
              "taint",
              [attr("key", t.key), attr("value", t.value), attr("effect", providerTaintEffect[t.effect])],
              false,
            ),
          ),
        ]),
      ];
    },
  },
  // AKS: the cluster autoscaler between min and max. AKS adds kubernetes.azure.com/scalesetpriority=spot:NoSchedule
  // to spot pools itself: declaring it keeps Terraform from planning to remove it on every run.
  azure: {
    resource: "azurerm_kubernetes_cluster_node_pool",
    body: (ctx, { pool, name, colocated }) => [
      attr("name", name),
      attr("kubernetes_cluster_id", hclRaw("azurerm_kubernetes_cluster.ml.id")),
      attr("vm_size", pool.instance_type),
      attr("vnet_subnet_id", hclRaw("azurerm_subnet.nodes.id")),
      // InfiniBand training pools: one proximity placement group, which maps to a single zone, so the ranks share
      // one InfiniBand fabric and NCCL's latency budget.
      attr("zones", colocated ? [hclRaw("var.training_zone")] : ["1", "2", "3"]),
      ...(colocated
        ? [attr("proximity_placement_group_id", hclRaw("azurerm_proximity_placement_group.training.id"))]
        : []),
      attr("auto_scaling_enabled", true),
      attr("min_count", pool.min_nodes),
      attr("max_count", pool.max_nodes),
      attr("os_disk_size_gb", pool.disk_size_gib),
      attr("node_labels", pool.labels),
      attr("node_taints", poolTaints(ctx.input, pool).map(taintString)),
      ...(pool.capacity_type === "spot"
        ? [attr("priority", "Spot"), attr("eviction_policy", "Delete"), attr("spot_max_price", -1)]
        : []),
      // Training nodes upgrade one surge node at a time, with an hour for each drain (AKS refuses
      // upgrade_settings on spot pools, which are reimaged in place).
      ...(isTrainingPool(pool) && pool.capacity_type !== "spot"
        ? [
            block("upgrade_settings", [
              attr("max_surge", "1"),
              attr("drain_timeout_in_minutes", 60),
              attr("node_soak_duration_in_minutes", 0),
            ]),
          ]
        : []),
    ],
  },
};

export function eksRootVolume(gib: number) {
  return {
    xvda: {
      device_name: "/dev/xvda",
      ebs: { volume_size: gib, volume_type: "gp3", encrypted: true, delete_on_termination: true },
    },
  };
}

function writeEntries(entries: Entry[], indent: number): string {
  const pad = "  ".repeat(indent);
  return entries
    .map((e) =>
      "key" in e
        ? `${pad}${e.key} = ${hclValue(e.value, indent)}\n`
        : `${e.blank ? "\n" : ""}${pad}${e.block} {\n${writeEntries(e.body, indent + 1)}${pad}}\n`,
    )
    .join("");
}

function asObject(entries: Entry[]): Record<string, HclValue> {
  return Object.fromEntries(entries.map((e) => ("key" in e ? [e.key, e.value] : [e.block, asObject(e.body)])));
}

/** A pool as a resource of its own (GKE, AKS): the text of the resource block. */
export function nodePoolResource(ctx: PlanContext, cloud: "gcp" | "azure", spec: PoolSpec): string {
  const dialect = dialects[cloud];
  return `resource ${hclString(dialect.resource ?? "")} ${hclString(terraformPoolLabel(spec.pool))} {\n${writeEntries(dialect.body(ctx, spec), 1)}}\n`;
}

/** A pool as an entry of the EKS module's eks_managed_node_groups map. */
export function nodePoolMapEntry(ctx: PlanContext, spec: PoolSpec): Record<string, HclValue> {
  return asObject(dialects.aws.body(ctx, spec));
}
