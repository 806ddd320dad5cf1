// Provider and module constraints every generated Terraform root uses, in one place so the roots of one plan agree.

/**
 * AWS provider 6 with the EKS module's v21 line: v21.19 (and its karpenter submodule) requires aws ">= 6.28"
 * (versions.tf). The provider's 6.0 upgrade guide changes none of the arguments these roots set (aws_s3_bucket's
 * `region` now means where the provider manages it; the roots never read it).
 */
export const awsProviderVersion = "~> 6.28";
/** EKS module v21: cluster inputs without the cluster_ prefix, Karpenter's controller role through Pod Identity. */
export const eksModuleVersion = "~> 21.19";
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
