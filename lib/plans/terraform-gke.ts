// GKE: a VPC-native private cluster with Cloud NAT, Workload Identity, and one autoscaled node pool per input
// pool. A2/G2 machine types carry their GPUs, so guest_accelerator is declared with the driver installed by GKE.
import { formatHclFiles, hclString, hclStringVariables } from "./hcl";
import { gcpServiceAccountId, isGpuPool, type PlanContext } from "./plan-context";
import { gkeMaintenanceWindow } from "./node-upgrades";
import { nodePoolResource } from "./terraform-node-pool";
import { googleProviderVersion } from "./terraform-versions";
import { colocatedTrainingPool } from "./training-interconnect";

export function terraformGke(ctx: PlanContext): Record<string, string> {
  const { input } = ctx;
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    google = { source = "hashicorp/google", version = "${googleProviderVersion}" }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

resource "google_compute_network" "ml" {
  name                    = "\${var.cluster_name}-vpc"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "nodes" {
  name                     = "\${var.cluster_name}-nodes"
  network                  = google_compute_network.ml.id
  region                   = var.region
  ip_cidr_range            = "10.0.0.0/18"
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = "10.64.0.0/14"
  }
  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = "10.68.0.0/20"
  }
}

resource "google_compute_router" "nat" {
  name    = "\${var.cluster_name}-router"
  network = google_compute_network.ml.id
  region  = var.region
}

resource "google_compute_router_nat" "nat" {
  name                               = "\${var.cluster_name}-nat"
  router                             = google_compute_router.nat.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}

resource "google_service_account" "nodes" {
  account_id   = ${hclString(gcpServiceAccountId(input.cluster_name, "nodes"))}
  display_name = "GKE nodes of \${var.cluster_name}"
}

resource "google_container_cluster" "ml" {
  name     = var.cluster_name
  location = var.region

  network    = google_compute_network.ml.id
  subnetwork = google_compute_subnetwork.nodes.id

  # Node pools are managed below; the default pool is removed right after creation.
  remove_default_node_pool = true
  initial_node_count       = 1
  deletion_protection      = true

  min_master_version = var.kubernetes_version
  release_channel {
    channel = "REGULAR"
  }

  # Node auto-upgrade drains nodes under running training: only on weekend mornings (UTC). Add a
  # maintenance_exclusion with exclusion_options { scope = "NO_MINOR_OR_NODE_UPGRADES" } around longer runs.
  maintenance_policy {
    recurring_window {
      start_time = ${hclString(gkeMaintenanceWindow.start_time)}
      end_time   = ${hclString(gkeMaintenanceWindow.end_time)}
      recurrence = ${hclString(gkeMaintenanceWindow.recurrence)}
    }
  }

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
    master_ipv4_cidr_block  = "172.16.0.0/28"
  }

  # The IP endpoint is private and no authorized network reaches it from outside the VPC: kubectl, helm and the
  # runbooks go through the DNS endpoint instead, which accepts only IAM-authorized callers
  # (container.clusters.connect), wherever they are (gcloud container clusters get-credentials --dns-endpoint).
  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }
  }

  workload_identity_config {
    workload_pool = "\${var.project_id}.svc.id.goog"
  }

  # Calico enforcement needs both the cluster setting and the add-on; without the add-on policies may be ignored.
  network_policy {
    enabled  = true
    provider = "CALICO"
  }

  addons_config {
    network_policy_config {
      disabled = false
    }
    gce_persistent_disk_csi_driver_config {
      enabled = true
    }
    gcp_filestore_csi_driver_config {
      enabled = true
    }
  }
}

${input.node_pools.map((pool) => nodePoolResource(ctx, "gcp", { pool, name: pool.name, gpu: isGpuPool(input, pool), efa: false, colocated: colocatedTrainingPool(input, pool) })).join("\n")}`;
  const colocated = input.node_pools.some((p) => colocatedTrainingPool(input, p));
  const variables = hclStringVariables({
    project_id: input.identity.gcp_project_id,
    cluster_name: input.cluster_name,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
    // The zone of the GPU training pools' compact placement: one that offers their machine type (gcloud compute
    // machine-types list --filter="name=<type>").
    ...(colocated ? { training_zone: `${input.region}-a` } : {}),
  });
  const outputs = `output "cluster_name" {
  value = google_container_cluster.ml.name
}

output "cluster_endpoint" {
  value     = google_container_cluster.ml.endpoint
  sensitive = true
}
`;
  return formatHclFiles({ "main.tf": main, "variables.tf": variables, "outputs.tf": outputs });
}
