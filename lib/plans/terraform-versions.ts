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
 * IAM module v6: the IRSA role is modules/iam-role-for-service-accounts, with name/use_name_prefix/policies in
 * place of v5's role_name/role_policy_arns, and output arn for iam_role_arn; v6.5 requires aws ">= 6.28".
 */
export const iamModuleVersion = "~> 6.5";
/**
 * Google's 7.0 upgrade guide removes or changes nothing this plan's resources use (networks, subnetwork without
 * enable_flow_logs, router/NAT, service accounts and IAM members, container cluster and node pools without
 * kubelet_config, a bucket without retention_period).
 */
export const googleProviderVersion = "~> 7.0";
/**
 * azurerm 5: its 5.0 upgrade guide, checked against the provider's v5.2.0 schema for every argument these roots
 * set, requires a node_provisioning_profile block on azurerm_kubernetes_cluster, user_assigned_identity_id (and no
 * resource_group_name) on the federated credentials, and resource provider registration made explicit.
 */
export const azurermProviderVersion = "~> 5.2";
