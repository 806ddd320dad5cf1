// EKS: VPC over three AZs (private and public subnets, one NAT gateway per AZ), the cluster with its addons and
// IRSA, EFS for shared volumes, Karpenter's IAM and interruption queue, and a fixed-size managed node group for
// each pool's floor (Karpenter provisions the rest: see build-karpenter.ts).
import { installsEfaPlugin } from "./build-training-job";
import { efaInterfaces } from "./efa-instance-types";
import { formatHclFiles, hclRaw, hclString, hclStringVariables, hclValue } from "./hcl";
import { isGpuPool, type PlanContext } from "./plan-context";
import { fnv1a, type NodePool } from "./schema";
import { eksRootVolume, nodePoolMapEntry, terraformPoolLabel } from "./terraform-node-pool";
import { awsProviderVersion, eksModuleVersion, iamModuleVersion } from "./terraform-versions";

/** Training pools of EFA instance types: their nodes share one zone and a cluster placement group. */
export function isEfaTrainingPool(pool: NodePool): boolean {
  return pool.labels["workload-type"] === "training" && pool.instance_type in efaInterfaces;
}

const placementGroup = `# Multi-node training on EFA instance types: a cluster placement group in the first zone; the training pool's
# floor joins it, and Karpenter launches that pool's other nodes into it (EC2NodeClass placementGroupSelector).
resource "aws_placement_group" "training" {
  name     = "\${var.cluster_name}-training"
  strategy = "cluster"
}

# Karpenter resolves placementGroupSelector with ec2:DescribePlacementGroups and launches into the group, which its
# own reference policy grants (AllowRegionalReadActions, placement-group/* on RunInstances/CreateFleet) but the eks
# module's karpenter controller policy does not: without these, the training pool's nodes never launch.
resource "aws_iam_role_policy" "karpenter_placement_group" {
  name = "karpenter-placement-group"
  role = module.karpenter.iam_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AllowPlacementGroupDiscovery"
        Effect   = "Allow"
        Action   = ["ec2:DescribePlacementGroups"]
        Resource = "*"
      },
      {
        Sid      = "AllowLaunchIntoPlacementGroup"
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "ec2:CreateFleet"]
        Resource = aws_placement_group.training.arn
      },
    ]
  })
}

`;

// EFA devices (vpc.amazonaws.com/efa) exist on a node only once the EFA device plugin advertises them; neither
// EKS nor the NVIDIA AMI installs it. The chart's own affinity keeps it to EFA instance types; it tolerates every
// taint so it reaches the tainted GPU pools (managed node groups and Karpenter's nodes alike).
const efaProviderAndRelease = `provider "helm" {
  kubernetes {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
    }
  }
}

resource "helm_release" "efa_device_plugin" {
  name       = "aws-efa-k8s-device-plugin"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-efa-k8s-device-plugin"
  version    = "v0.5.7"
  namespace  = "kube-system"

  values = [yamlencode({
    tolerations = [{ operator = "Exists" }]
  })]

  depends_on = [module.eks]
}

`;

// IAM role names are at most 64 characters, and a name_prefix at most 38 (the provider appends 26): the module's
// default prefixes ("<cluster>-cluster-", "<group>-eks-node-group-") fail terraform apply for cluster names over 29
// characters and pool names over 22. Fixed names instead, each within 64 (cluster names are at most 40), and
// prefixed by the cluster's name because role names are unique per account.
const maxRoleSuffix = 64 - 41;

/** The suffix of a node group's IAM role name after "<cluster_name>-": the pool's name, or a hash when too long. */
export function eksNodeRoleSuffix(group: string): string {
  const suffix = `${group}-nodes`;
  return suffix.length <= maxRoleSuffix ? suffix : `${group.slice(0, maxRoleSuffix - 15)}-${fnv1a(group)}-nodes`;
}

const fixedRoleName = (group: string) => ({
  iam_role_use_name_prefix: false,
  iam_role_name: hclRaw(`"\${var.cluster_name}-${eksNodeRoleSuffix(group)}"`),
});

export function terraformEks(ctx: PlanContext): Record<string, string> {
  const { input } = ctx;
  // Karpenter's controller may not run on nodes it manages: a small system group hosts it and the add-ons.
  const system = {
    name: "system",
    instance_types: ["m6i.large"],
    capacity_type: "ON_DEMAND",
    ami_type: "AL2023_x86_64_STANDARD",
    min_size: 2,
    max_size: 2,
    desired_size: 2,
    block_device_mappings: eksRootVolume(50),
    // Otherwise the module moves every group to the newest AMI release at each plan, and the next apply rolls
    // nodes under running jobs; EKS picks the newest release when it creates the group and upgrades when asked.
    use_latest_ami_release_version: false,
    // Hop limit 1 keeps every pod off IMDS and so off the node role's credentials: the pods' roles come through
    // IRSA and EKS Pod Identity instead, and Karpenter's controller, which runs here, gets its region from the
    // AWS_REGION its Helm values set (plan requirement) rather than from IMDS.
    metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
    labels: { "ml-platform/system": "true" },
    ...fixedRoleName("system"),
  };
  const efaTraining = input.node_pools.some(isEfaTrainingPool);
  const efaPlugin = installsEfaPlugin(input);
  const groups = {
    system,
    ...Object.fromEntries(
      input.node_pools
        .filter((p) => p.min_nodes > 0)
        .map((p) => [
          terraformPoolLabel(p),
          {
            ...nodePoolMapEntry(ctx, {
              pool: p,
              name: p.name,
              gpu: isGpuPool(ctx.input, p),
              efa: isEfaTrainingPool(p),
            }),
            use_latest_ami_release_version: false,
            ...fixedRoleName(p.name),
          },
        ]),
    ),
  };
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws        = { source = "hashicorp/aws", version = "${awsProviderVersion}" }
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.33" }${
      efaPlugin
        ? `
    helm       = { source = "hashicorp/helm", version = "~> 2.15" }`
        : ""
    }
  }
}

provider "aws" {
  region = var.region
}

# The kubernetes and helm providers reach the cluster's API during the same apply that creates it. The endpoint is
# public only to var.api_authorized_cidrs (the plan's api_authorized_cidrs); when that is empty it is private, and
# from outside the VPC the first apply passes your address (-var) and the next one, without it, closes it again.
# From inside the VPC (VPN, bastion) nothing needs opening.
provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
  }
}

${efaPlugin ? efaProviderAndRelease : ""}module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.6"

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
  version = "${eksModuleVersion}"

  name               = var.cluster_name
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # The API endpoint answers the listed CIDRs publicly and the VPC (VPN or bastion) privately; nothing else.
  endpoint_public_access       = length(var.api_authorized_cidrs) > 0
  endpoint_public_access_cidrs = var.api_authorized_cidrs
  endpoint_private_access      = true
  enable_irsa                     = true
  iam_role_use_name_prefix        = false
  iam_role_name                   = "\${var.cluster_name}-cluster"
  enable_cluster_creator_admin_permissions = true

  addons = {
    coredns                = { most_recent = true }
    kube-proxy             = { most_recent = true }
    vpc-cni                = { most_recent = true }
    # Karpenter's controller gets its IAM role through EKS Pod Identity, the karpenter module's only way.
    eks-pod-identity-agent = { most_recent = true }
    aws-ebs-csi-driver     = { most_recent = true, service_account_role_arn = module.ebs_csi_irsa.arn }
    aws-efs-csi-driver     = { most_recent = true, service_account_role_arn = module.efs_csi_irsa.arn }
  }

  node_security_group_tags = { "karpenter.sh/discovery" = var.cluster_name }
${
  efaPlugin
    ? `
  # EFA only passes traffic between interfaces whose security group allows all protocols from itself; the node
  # security group (which Karpenter's nodes also get, by its discovery tag) otherwise drops NCCL's RDMA traffic.
  node_security_group_additional_rules = {
    efa_ingress_self = { description = "EFA between nodes", protocol = "-1", from_port = 0, to_port = 0, type = "ingress", self = true }
    efa_egress_self  = { description = "EFA between nodes", protocol = "-1", from_port = 0, to_port = 0, type = "egress", self = true }
  }
`
    : ""
}
  # Karpenter's nodes join with the node role the karpenter module creates.
  authentication_mode = "API_AND_CONFIG_MAP"

  eks_managed_node_groups = ${hclValue(groups, 1)}

  tags = {
    Environment = "production"
    Team        = "ml-platform"
  }
}

${csiDriverRole("ebs")}
# Shared datasets, checkpoints and models (ReadWriteMany): an EFS file system reachable from every private
# subnet, its CSI driver (add-on above) and the efs-sc StorageClass the PersistentVolumeClaims name.
${csiDriverRole("efs")}
resource "aws_security_group" "efs" {
  name_prefix = "\${var.cluster_name}-efs-"
  description = "NFS from the cluster's VPC to the shared EFS file system"
  vpc_id      = module.vpc.vpc_id

  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = [module.vpc.vpc_cidr_block]
  }
}

resource "aws_efs_file_system" "shared" {
  creation_token   = "\${var.cluster_name}-shared"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"
  tags             = { Name = "\${var.cluster_name}-shared" }
}

resource "aws_efs_mount_target" "shared" {
  count           = 3
  file_system_id  = aws_efs_file_system.shared.id
  subnet_id       = module.vpc.private_subnets[count.index]
  security_groups = [aws_security_group.efs.id]
}

resource "kubernetes_storage_class_v1" "efs" {
  metadata {
    name = "efs-sc"
  }
  storage_provisioner = "efs.csi.aws.com"
  reclaim_policy      = "Retain"
  # One access point per volume, owned by the UID/GID the workloads run as (restricted pod security context). Its
  # directory is <namespace>/<claim>, the same for the claim a backup restores on a rebuilt cluster, so it finds
  # the data its predecessor wrote and a file-system restore knows where each claim's data belongs.
  parameters = {
    provisioningMode      = "efs-ap"
    fileSystemId          = aws_efs_file_system.shared.id
    directoryPerms        = "770"
    uid                   = "10001"
    gid                   = "10001"
    subPathPattern        = "$\${.PVC.namespace}/$\${.PVC.name}"
    ensureUniqueDirectory = "false"
  }
  depends_on = [aws_efs_mount_target.shared]
}

# Block volumes (Redis's queue): EKS 1.30+ marks no StorageClass default, and its gp2 class needs the EBS CSI
# driver anyway; gp3 through the add-on above, bound where the pod lands.
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
  }
  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
  }
}

${efaTraining ? placementGroup : ""}# Karpenter's node IAM role and instance profile (the EC2NodeClass names the role), its controller role (EKS Pod
# Identity, bound to the chart's service account karpenter/karpenter), and the SQS queue with EventBridge rules that
# deliver spot interruptions and rebalance notices.
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "${eksModuleVersion}"

  cluster_name = module.eks.cluster_name

  create_pod_identity_association = true
  namespace                       = "karpenter"
  service_account                 = "karpenter"

  node_iam_role_name            = "KarpenterNodeRole-\${var.cluster_name}"
  node_iam_role_use_name_prefix = false
  create_instance_profile       = true

  enable_spot_termination = true
  queue_name              = "\${var.cluster_name}-karpenter"
}
`;
  const variables = `${hclStringVariables({
    cluster_name: input.cluster_name,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
  })}
variable "api_authorized_cidrs" {
  description = "IPv4 ranges (your office or VPN egress, /32 for one address) that may reach the API endpoint from outside the VPC; empty keeps it private."
  type        = list(string)
  default     = [${input.api_authorized_cidrs.map(hclString).join(", ")}]
  validation {
    condition     = alltrue([for c in var.api_authorized_cidrs : can(cidrhost(c, 0)) && tonumber(split("/", c)[1]) >= 8])
    error_message = "api_authorized_cidrs takes IPv4 CIDRs of prefix /8 or longer, such as 203.0.113.7/32."
  }
}
`;
  const outputs = `output "cluster_name" {
  value = module.eks.cluster_name
}

output "cluster_endpoint" {
  value = module.eks.cluster_endpoint
}

output "oidc_provider_arn" {
  value = module.eks.oidc_provider_arn
}

output "efs_file_system_id" {
  value = aws_efs_file_system.shared.id
}

# Karpenter's Helm values: settings.clusterName and settings.interruptionQueue; the controller's role (Pod Identity).
output "karpenter_interruption_queue" {
  value = module.karpenter.queue_name
}

output "karpenter_controller_role_arn" {
  value = module.karpenter.iam_role_arn
}

output "karpenter_node_instance_profile" {
  value = module.karpenter.instance_profile_name
}
`;
  return formatHclFiles({ "main.tf": main, "variables.tf": variables, "outputs.tf": outputs });
}

/** The IRSA role of an AWS CSI driver add-on (EBS or EFS): the same module with the driver's policy and account. */
function csiDriverRole(driver: "ebs" | "efs"): string {
  return `module "${driver}_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "${iamModuleVersion}"

  # Exact names (no generated suffix), the policy's too: v6 would otherwise name it ${driver.toUpperCase()}_CSI in every
  # cluster of the account, and the second cluster's apply would fail on the duplicate.
  name                  = "\${var.cluster_name}-${driver}-csi"
  use_name_prefix       = false
  policy_name           = "\${var.cluster_name}-${driver}-csi"
  attach_${driver}_csi_policy = true
  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:${driver}-csi-controller-sa"]
    }
  }
}
`;
}
