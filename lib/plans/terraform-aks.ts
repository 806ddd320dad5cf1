// AKS: a VNet, a NAT gateway for egress, the cluster with OIDC issuer and Workload Identity, Azure CNI with
// Calico network policy, and one autoscaled user node pool per input pool (a small system pool hosts add-ons).
import { formatHclFiles, hclString, hclStringVariables } from "./hcl";
import { isGpuPool, type PlanContext } from "./plan-context";
import type { NodePool } from "./schema";
import { aksNodeOsWindow } from "./node-upgrades";
import { nodePoolResource } from "./terraform-node-pool";
import { azurermProviderVersion } from "./terraform-versions";
import { colocatedTrainingPool } from "./training-interconnect";

// AKS node pool names: lowercase alphanumerics, at most 12 characters.
export function aksPoolName(pool: NodePool, index: number): string {
  const base = pool.name.replace(/[^a-z0-9]/g, "").slice(0, 10);
  return `${base || "pool"}${index}`.slice(0, 12);
}

// ND-series training pools join one proximity placement group: their VMs land in one datacenter, on one
// InfiniBand fabric, instead of anywhere in the region.
const proximityPlacementGroup = `resource "azurerm_proximity_placement_group" "training" {
  name                = "\${var.cluster_name}-training"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
}

`;

/**
 * How kubectl, helm and the runbooks reach the API server. With authorized ranges, a public endpoint that only
 * they reach; without, a private cluster reached through az aks command invoke (AKS runs the command in a pod of
 * the cluster, authorized by Azure RBAC) or from a machine in the VNet. private_cluster_enabled forces a new
 * cluster when changed, so the choice is the plan's input rather than an apply-time variable.
 */
function apiAccess(ctx: PlanContext): string {
  if (ctx.input.api_authorized_cidrs.length > 0)
    return `  private_cluster_enabled   = false

  # The API server is public, but answers only these ranges (api_authorized_cidrs): kubectl and helm from there.
  # AKS allows its own load balancer's outbound address by itself; these nodes leave through the NAT gateway, whose
  # address is listed so their traffic to the API is never refused.
  api_server_access_profile {
    authorized_ip_ranges = concat(var.api_authorized_cidrs, ["\${azurerm_public_ip.nat.ip_address}/32"])
  }

`;
  return `  private_cluster_enabled   = true
  # No public endpoint: the runbooks' kubectl and helm run through az aks command invoke, which needs run command.
  run_command_enabled       = true
`;
}

/** The variable holding the API's authorized ranges, with the checks the plan's schema makes on them. */
function authorizedCidrsVariable(cidrs: readonly string[]): string {
  return `
variable "api_authorized_cidrs" {
  description = "IPv4 ranges (your office or VPN egress, /32 for one address) the API server answers; the plan's api_authorized_cidrs."
  type        = list(string)
  default     = [${cidrs.map(hclString).join(", ")}]
  validation {
    condition     = length(var.api_authorized_cidrs) > 0 && length(var.api_authorized_cidrs) < 200 && alltrue([for c in var.api_authorized_cidrs : can(cidrhost(c, 0)) && tonumber(split("/", c)[1]) >= 8])
    error_message = "api_authorized_cidrs takes one to 199 IPv4 CIDRs of prefix /8 or longer, such as 203.0.113.7/32."
  }
}
`;
}

export function terraformAks(ctx: PlanContext): Record<string, string> {
  const { input } = ctx;
  const colocated = input.node_pools.some((p) => colocatedTrainingPool(input, p));
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "${azurermProviderVersion}" }
  }
}

# azurerm 5 registers no resource providers by itself; "legacy" registers the set 4.x did (ContainerService,
# Network, Storage, ManagedIdentity among them), which a fresh subscription needs before the first apply.
provider "azurerm" {
  resource_provider_registrations = "legacy"
  features {}
}

resource "azurerm_resource_group" "ml" {
  name     = "\${var.cluster_name}-rg"
  location = var.region
}

resource "azurerm_virtual_network" "ml" {
  name                = "\${var.cluster_name}-vnet"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.0.0/18"]
}

resource "azurerm_public_ip" "nat" {
  name                = "\${var.cluster_name}-nat-ip"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_nat_gateway" "ml" {
  name                = "\${var.cluster_name}-nat"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_nat_gateway_public_ip_association" "ml" {
  nat_gateway_id       = azurerm_nat_gateway.ml.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "nodes" {
  subnet_id      = azurerm_subnet.nodes.id
  nat_gateway_id = azurerm_nat_gateway.ml.id
}

resource "azurerm_kubernetes_cluster" "ml" {
  name                      = var.cluster_name
  location                  = azurerm_resource_group.ml.location
  resource_group_name       = azurerm_resource_group.ml.name
  dns_prefix                = var.cluster_name
  kubernetes_version        = var.kubernetes_version
${apiAccess(ctx)}  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    vnet_subnet_id               = azurerm_subnet.nodes.id
    zones                        = ["1", "2", "3"]
    auto_scaling_enabled         = true
    min_count                    = 3
    max_count                    = 6
    only_critical_addons_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  # Required from azurerm 5: Manual keeps the node pools this file declares the only ones (no node auto-provisioning).
  node_provisioning_profile {
    mode = "Manual"
  }

  # Node image upgrades drain nodes under running training: AKS's default channel, made explicit, confined to a
  # weekly window (UTC). Kubernetes version upgrades stay manual (no automatic_upgrade_channel).
  node_os_upgrade_channel = "NodeImage"
  maintenance_window_node_os {
    frequency   = ${hclString(aksNodeOsWindow.frequency)}
    interval    = ${aksNodeOsWindow.interval}
    duration    = ${aksNodeOsWindow.duration}
    day_of_week = ${hclString(aksNodeOsWindow.day_of_week)}
    start_time  = ${hclString(aksNodeOsWindow.start_time)}
    utc_offset  = ${hclString(aksNodeOsWindow.utc_offset)}
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "calico"
    outbound_type     = "userAssignedNATGateway"
  }

  depends_on = [azurerm_subnet_nat_gateway_association.nodes]
}

${colocated ? proximityPlacementGroup : ""}${input.node_pools.map((pool, i) => nodePoolResource(ctx, "azure", { pool, name: aksPoolName(pool, i), gpu: isGpuPool(input, pool), efa: false, colocated: colocatedTrainingPool(input, pool) })).join("\n")}`;
  const variables = `${hclStringVariables({
    cluster_name: input.cluster_name,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
    // The availability zone of the InfiniBand training pools and their proximity placement group: one that offers
    // their VM size (az vm list-skus --size <size> --location <region> --query "[].locationInfo[].zones").
    ...(colocated ? { training_zone: "1" } : {}),
  })}${input.api_authorized_cidrs.length > 0 ? authorizedCidrsVariable(input.api_authorized_cidrs) : ""}`;
  const outputs = `output "cluster_name" {
  value = azurerm_kubernetes_cluster.ml.name
}

output "oidc_issuer_url" {
  value = azurerm_kubernetes_cluster.ml.oidc_issuer_url
}
`;
  return formatHclFiles({ "main.tf": main, "variables.tf": variables, "outputs.tf": outputs });
}
