// GKE and AKS upgrade node images by themselves and drain each node they upgrade: a multi-day training run on
// those nodes loses its ranks at every release. The cluster Terraform confines those upgrades to a weekly window
// (and AKS training pools drain slowly, one surge node at a time); the viability checker reads the same facts.
import type { NodePool, PlanInput } from "./schema";

/**
 * GKE: a recurring window of Saturday and Sunday 02:00-08:00 UTC. GKE requires at least 48 hours of maintenance
 * availability in any 32 days with windows of 4 hours or more; 12 hours a week gives about 55. Argument names from
 * the google provider's google_container_cluster docs (maintenance_policy.recurring_window).
 */
export const gkeMaintenanceWindow = {
  start_time: "2026-01-03T02:00:00Z",
  end_time: "2026-01-03T08:00:00Z",
  recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
} as const;

/**
 * AKS: node OS images (the NodeImage channel, AKS's default, made explicit) only on Saturdays 02:00-10:00 UTC.
 * Argument names from azurerm 4.x azurerm_kubernetes_cluster (node_os_upgrade_channel, maintenance_window_node_os).
 */
export const aksNodeOsWindow = {
  frequency: "Weekly",
  interval: 1,
  duration: 8,
  day_of_week: "Saturday",
  start_time: "02:00",
  utc_offset: "+00:00",
} as const;

export function isTrainingPool(pool: NodePool): boolean {
  return pool.labels["workload-type"] === "training";
}

/** Who upgrades the pool's nodes by itself, and what confines it (for the viability checker). */
export function managedNodeUpgrades(
  input: Pick<PlanInput, "cloud_provider">,
): { by: string; confinedBy: string } | undefined {
  switch (input.cloud_provider) {
    case "gcp":
      return {
        by: "GKE node auto-upgrade",
        confinedBy: `google_container_cluster maintenance_policy.recurring_window ${gkeMaintenanceWindow.recurrence} 02:00-08:00 UTC`,
      };
    case "azure":
      return {
        by: "AKS node image upgrade (node_os_upgrade_channel NodeImage)",
        confinedBy: `azurerm_kubernetes_cluster maintenance_window_node_os ${aksNodeOsWindow.day_of_week} ${aksNodeOsWindow.start_time} UTC for ${aksNodeOsWindow.duration} h`,
      };
    default:
      // EKS managed node groups change only when Terraform changes them; Karpenter's drift is its own rule.
      return undefined;
  }
}
