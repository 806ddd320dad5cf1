// EKS: VPC over three AZs (private and public subnets, one NAT gateway per AZ), the cluster with its addons and
// IRSA, and one managed node group per node pool carrying labels, taints and cluster-autoscaler tags.
import { formatHclFiles, hclStringVariables, hclValue } from "./hcl";
import { isGpuPool, type PlanContext } from "./plan-context";
import type { NodePool } from "./schema";
import { providerTaintEffect, terraformPoolLabel } from "./terraform-node-pool";

function nodeGroup(ctx: PlanContext, pool: NodePool) {
  return {
    name: pool.name,
    instance_types: [pool.instance_type, ...pool.fallback_instance_types],
    capacity_type: pool.capacity_type === "spot" ? "SPOT" : "ON_DEMAND",
    ami_type: isGpuPool(ctx.input, pool) ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD",
    min_size: pool.min_nodes,
    max_size: pool.max_nodes,
    desired_size: pool.min_nodes,
    disk_size: pool.disk_size_gib,
    labels: pool.labels,
    // The module passes try(taint.value, null): a key-only taint simply has no value.
    taints: Object.fromEntries(pool.taints.map((t, i) => [`taint${i}`, { key: t.key, ...(t.value ? { value: t.value } : {}), effect: providerTaintEffect[t.effect] }])),
    tags: {
      "k8s.io/cluster-autoscaler/enabled": "true",
      [`k8s.io/cluster-autoscaler/${ctx.input.cluster_name}`]: "owned",
      ...Object.fromEntries(Object.entries(pool.labels).map(([k, v]) => [`k8s.io/cluster-autoscaler/node-template/label/${k}`, v])),
    },
  };
}

export function terraformEks(ctx: PlanContext): Record<string, string> {
  const { input } = ctx;
  const groups = Object.fromEntries(input.node_pools.map((p) => [terraformPoolLabel(p), nodeGroup(ctx, p)]));
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.60" }
  }
}

provider "aws" {
  region = var.region
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.13"

  name = "\${var.cluster_name}-vpc"
  cidr = "10.0.0.0/16"

  azs             = ["\${var.region}a", "\${var.region}b", "\${var.region}c"]
  private_subnets = ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]

  enable_nat_gateway     = true
  single_nat_gateway     = false
  one_nat_gateway_per_az = true
  enable_dns_hostnames   = true

  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = 1, "karpenter.sh/discovery" = var.cluster_name }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.24"

  cluster_name    = var.cluster_name
  cluster_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # The API endpoint is private; reach it through the VPC (VPN or bastion).
  cluster_endpoint_public_access  = false
  cluster_endpoint_private_access = true
  enable_irsa                     = true
  enable_cluster_creator_admin_permissions = true

  cluster_addons = {
    coredns                = { most_recent = true }
    kube-proxy             = { most_recent = true }
    vpc-cni                = { most_recent = true }
    aws-ebs-csi-driver     = { most_recent = true, service_account_role_arn = module.ebs_csi_irsa.iam_role_arn }
  }

  node_security_group_tags = { "karpenter.sh/discovery" = var.cluster_name }

  eks_managed_node_groups = ${hclValue(groups, 1)}

  tags = {
    Environment = "production"
    Team        = "ml-platform"
  }
}

module "ebs_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.44"

  role_name             = "\${var.cluster_name}-ebs-csi"
  attach_ebs_csi_policy = true
  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"]
    }
  }
}
`;
  const variables = hclStringVariables({
    cluster_name: input.cluster_name,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
  });
  const outputs = `output "cluster_name" {
  value = module.eks.cluster_name
}

output "cluster_endpoint" {
  value = module.eks.cluster_endpoint
}

output "oidc_provider_arn" {
  value = module.eks.oidc_provider_arn
}
`;
  return formatHclFiles({ "main.tf": main, "variables.tf": variables, "outputs.tf": outputs });
}
