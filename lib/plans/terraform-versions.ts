// Provider and module constraints every generated Terraform root uses, in one place so the roots of one plan agree.

/**
 * AWS stays on major 5: the EKS module's v20 (and its karpenter submodule) requires aws ">= 5.95, < 6.0.0"
 * (versions.tf at v20.37.2). Provider 6 needs EKS module v21, which renames the cluster arguments the plan sets
 * (cluster_name, cluster_version, cluster_endpoint_*, cluster_addons) and drops IRSA from the karpenter submodule;
 * that rewrite is not verified here. 5.100 is the last 5.x release.
 */
export const awsProviderVersion = "~> 5.100";
/** The newest v20 release line (v20.37.x), the last one for AWS provider 5. */
export const eksModuleVersion = "~> 20.37";
/**
 * Google's 7.0 upgrade guide removes or changes nothing this plan's resources use (networks, subnetwork without
 * enable_flow_logs, router/NAT, service accounts and IAM members, container cluster and node pools without
 * kubelet_config, a bucket without retention_period).
 */
export const googleProviderVersion = "~> 7.0";
/**
 * azurerm 5.0 (July 2026) stops registering resource providers by default and changes resources' schemas; its
 * effect on azurerm_kubernetes_cluster and the node pools is not verified here, so the plan keeps the last 4.x line.
 */
export const azurermProviderVersion = "~> 4.81";
