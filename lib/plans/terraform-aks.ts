// AKS: a VNet, a NAT gateway for egress, the cluster with OIDC issuer and Workload Identity, Azure CNI with
// Calico network policy, and one autoscaled user node pool per input pool (a small system pool hosts add-ons).
import { formatHclFiles, hclString, hclStringVariables, hclValue } from "./hcl";
import { poolTaints, taintString, type PlanContext } from "./plan-context";
import type { NodePool, PlanInput } from "./schema";
import { terraformPoolLabel } from "./terraform-node-pool";

// AKS node pool names: lowercase alphanumerics, at most 12 characters.
export function aksPoolName(pool: NodePool, index: number): string {
  const base = pool.name.replace(/[^a-z0-9]/g, "").slice(0, 10);
  return `${base || "pool"}${index}`.slice(0, 12);
}

function nodePool(input: PlanInput, pool: NodePool, index: number): string {
  // AKS adds kubernetes.azure.com/scalesetpriority=spot:NoSchedule to spot pools itself: declaring it keeps
  // Terraform from planning to remove it on every run.
  const taints = poolTaints(input, pool).map(taintString);
  const spot =
    pool.capacity_type === "spot"
      ? `
  priority        = "Spot"
  eviction_policy = "Delete"
  spot_max_price  = -1`
      : "";
  return `resource "azurerm_kubernetes_cluster_node_pool" ${hclString(terraformPoolLabel(pool))} {
  name                  = ${hclString(aksPoolName(pool, index))}
  kubernetes_cluster_id = azurerm_kubernetes_cluster.ml.id
  vm_size               = ${hclString(pool.instance_type)}
  vnet_subnet_id        = azurerm_subnet.nodes.id
  zones                 = ["1", "2", "3"]
  auto_scaling_enabled  = true
  min_count             = ${pool.min_nodes}
  max_count             = ${pool.max_nodes}
  os_disk_size_gb       = ${pool.disk_size_gib}
  node_labels           = ${hclValue(pool.labels, 1)}
  node_taints           = ${hclValue(taints, 1)}${spot}
}
`;
}

export function terraformAks(ctx: PlanContext): Record<string, string> {
  const { input } = ctx;
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "~> 4.0" }
  }
}

provider "azurerm" {
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
  private_cluster_enabled   = true
  oidc_issuer_enabled       = true
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

  network_profile {
    network_plugin    = "azure"
    network_policy    = "calico"
    outbound_type     = "userAssignedNATGateway"
  }

  depends_on = [azurerm_subnet_nat_gateway_association.nodes]
}

${input.node_pools.map((pool, i) => nodePool(input, pool, i)).join("\n")}`;
  const variables = hclStringVariables({
    cluster_name: input.cluster_name,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
  });
  const outputs = `output "cluster_name" {
  value = azurerm_kubernetes_cluster.ml.name
}

output "oidc_issuer_url" {
  value = azurerm_kubernetes_cluster.ml.oidc_issuer_url
}
`;
  return formatHclFiles({ "main.tf": main, "variables.tf": variables, "outputs.tf": outputs });
}
