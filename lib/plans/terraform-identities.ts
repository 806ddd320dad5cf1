// The cloud identities the plan's ServiceAccounts are annotated with, created with the binding that lets exactly
// that ServiceAccount assume them: an IAM role trusting the cluster's OIDC provider (IRSA), a GCP service account
// with a workloadIdentityUser binding, or an Azure user-assigned identity with one federated credential per
// ServiceAccount. Pure: the accounts come from the manifests, so what is annotated is what is created.
import type { KubernetesObject } from "@/lib/k8s/types";
import { formatHclFiles, hclString } from "./hcl";
import type { PlanContext } from "./plan-context";
import { azureStorageAccount, uniqueBucketName } from "./schema";
import {
  awsProviderVersion,
  azurermProviderVersion,
  googleProviderVersion,
  iamModuleVersion,
} from "./terraform-versions";
import { azureModelsStorageAccount } from "./build-training-loader";

export interface IdentityBinding {
  namespace: string;
  serviceAccount: string;
  /** The annotation's value: role ARN, GCP service account email, or Azure client id. */
  identity: string;
  /** What the identity may do: read models, data and the workload's secrets (default), write the backups (Velero), or read every secret of the cluster's store (External Secrets). */
  access?: "workload" | "backups" | "secrets";
}

const annotationKeys = [
  "eks.amazonaws.com/role-arn",
  "iam.gke.io/gcp-service-account",
  "azure.workload.identity/client-id",
];

/** Every ServiceAccount of the set that carries a cloud identity annotation. */
export function identityBindings(objects: readonly KubernetesObject[]): IdentityBinding[] {
  return objects
    .filter((o) => o.kind === "ServiceAccount")
    .flatMap((o) =>
      annotationKeys
        .filter((k) => o.metadata.annotations?.[k])
        .map((k) => ({
          namespace: o.metadata.namespace ?? "",
          serviceAccount: o.metadata.name,
          identity: o.metadata.annotations![k]!,
        })),
    );
}

const label = (b: IdentityBinding) => `${b.namespace}_${b.serviceAccount}`.replace(/[^a-zA-Z0-9_]/g, "_");

/** A private, encrypted, versioned bucket (versions keep a deleted or overwritten object recoverable). */
function awsBucket(name: string, bucket: string): string {
  return `resource "aws_s3_bucket" "${name}" {
  bucket = ${hclString(bucket)}
}

resource "aws_s3_bucket_public_access_block" "${name}" {
  bucket                  = aws_s3_bucket.${name}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "${name}" {
  bucket = aws_s3_bucket.${name}.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "${name}" {
  bucket = aws_s3_bucket.${name}.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
`;
}

/**
 * The region the backups are copied to: another region of the same geography, so a regional outage (or the loss of
 * the cluster's region) leaves a copy within the same jurisdiction.
 */
export function awsReplicaRegion(region: string): string {
  const pairs: Record<string, string> = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "ca-west-1",
    "eu-west-1": "eu-central-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-north-1": "eu-central-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-southeast-1": "ap-southeast-2",
    "ap-southeast-2": "ap-southeast-1",
    "ap-south-1": "ap-south-2",
  };
  return pairs[region] ?? (region === "us-east-1" ? "us-west-2" : "us-east-1");
}

/**
 * Cross-region replication of the backup bucket: every object version (and delete marker) is copied to a
 * versioned bucket in the replica region, encrypted there with a key of that region. Replication needs versioning
 * on both buckets, and objects encrypted with KMS are replicated only when the rule selects them.
 */
function awsBackupReplication(ctx: PlanContext, bucket: string): string {
  const replicaRegion = awsReplicaRegion(ctx.input.region);
  const replicaBucket = `${bucket.slice(0, 55).replace(/[.-]+$/, "")}-replica`;
  const region = ctx.input.region;
  return `
provider "aws" {
  alias  = "replica"
  region = ${hclString(replicaRegion)}
}

${awsBucket("backups_replica", replicaBucket).replace(/\n {2}bucket/g, "\n  provider = aws.replica\n  bucket")}
resource "aws_kms_key" "backups_replica" {
  provider                = aws.replica
  description             = ${hclString(`${ctx.input.cluster_name} backup replicas`)}
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_iam_role" "backups_replication" {
  name = ${hclString(`${ctx.input.cluster_name}-backups-replication`)}
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "backups_replication" {
  name = "replicate-backups"
  role = aws_iam_role.backups_replication.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = [aws_s3_bucket.backups.arn] },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = ["\${aws_s3_bucket.backups.arn}/*"] },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = ["\${aws_s3_bucket.backups_replica.arn}/*"] },
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = ["*"], Condition = { StringLike = { "kms:ViaService" = ${hclString(`s3.${region}.amazonaws.com`)} } } },
      { Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = [aws_kms_key.backups_replica.arn] },
    ]
  })
}

resource "aws_s3_bucket_replication_configuration" "backups" {
  depends_on = [aws_s3_bucket_versioning.backups, aws_s3_bucket_versioning.backups_replica]
  role       = aws_iam_role.backups_replication.arn
  bucket     = aws_s3_bucket.backups.id
  rule {
    id     = "cross-region"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket        = aws_s3_bucket.backups_replica.arn
      storage_class = "STANDARD_IA"
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.backups_replica.arn
      }
    }
  }
}
`;
}

function aws(ctx: PlanContext, bindings: IdentityBinding[], standalone: boolean): string {
  const oidc = standalone ? "data.aws_iam_openid_connect_provider.cluster.arn" : "module.eks.oidc_provider_arn";
  const bucket = ctx.input.disaster_recovery.backup_bucket;
  const models = uniqueBucketName(ctx.input, "models");
  const head = standalone
    ? `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "${awsProviderVersion}" }
  }
}

provider "aws" {
  region = ${hclString(ctx.input.region)}
}

data "aws_eks_cluster" "cluster" {
  name = ${hclString(ctx.input.cluster_name)}
}

data "aws_iam_openid_connect_provider" "cluster" {
  url = data.aws_eks_cluster.cluster.identity[0].oidc[0].issuer
}

`
    : "";
  const accountCheck = `# The plan's role ARNs and secret ARNs name identity.aws_account_id: applying into another account (or with the
# placeholder 123456789012) creates roles no ServiceAccount annotation points at. The check warns on apply.
data "aws_caller_identity" "current" {}

check "plan_account" {
  assert {
    condition     = data.aws_caller_identity.current.account_id == ${hclString(ctx.input.identity.aws_account_id)}
    error_message = "identity.aws_account_id of the plan is not the account being applied to: set it to \${data.aws_caller_identity.current.account_id} and regenerate the plan."
  }
}

`;
  const policy = `${accountCheck}# Models and data live in their own bucket: the backups hold every Secret of the cluster, so no workload may
# read them.
${awsBucket("models", models)}
# Training data is kept here (the loader Job copies training/<job>/ into the cluster): an overwritten or deleted
# object stays recoverable for disaster_recovery.data_retention_days.
resource "aws_s3_bucket_lifecycle_configuration" "models" {
  bucket = aws_s3_bucket.models.id
  rule {
    id     = "training-data-versions"
    status = "Enabled"
    filter {
      prefix = "training/"
    }
    noncurrent_version_expiration {
      noncurrent_days = ${ctx.input.disaster_recovery.data_retention_days}
    }
  }
}

# What the workloads' pods do with their role: read models and data, read their secrets.
resource "aws_iam_policy" "workloads" {
  name = ${hclString(`${ctx.input.cluster_name}-workloads`)}
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = [aws_s3_bucket.models.arn, "\${aws_s3_bucket.models.arn}/*"] },
      { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [${hclString(`arn:aws:secretsmanager:${ctx.input.region}:${ctx.input.identity.aws_account_id}:secret:${ctx.input.cluster_name}/*`)}] },
    ]
  })
}
`;
  const backups = bindings.some((b) => b.access === "backups")
    ? `
# The backup location Velero writes to; only Velero's role can read it.
${awsBucket("backups", bucket)}${awsBackupReplication(ctx, bucket)}
# Velero's role: read and write the backups (server and node agent share its ServiceAccount).
resource "aws_iam_policy" "backups" {
  name = ${hclString(`${ctx.input.cluster_name}-velero`)}
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource = ["\${aws_s3_bucket.backups.arn}/*"] },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = [aws_s3_bucket.backups.arn] },
    ]
  })
}
`
    : "";
  const roles = [...new Map(bindings.map((b) => [b.identity, b])).values()].map((b) => {
    const accounts = bindings
      .filter((o) => o.identity === b.identity)
      .map((o) => hclString(`${o.namespace}:${o.serviceAccount}`));
    return `
module "irsa_${label(b)}" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "${iamModuleVersion}"

  # The ServiceAccount's role-arn annotation names this role outright: no generated suffix.
  name            = ${hclString(b.identity.split("/").pop()!)}
  use_name_prefix = false
  policies        = { access = aws_iam_policy.${b.access === "backups" ? "backups" : "workloads"}.arn }
  oidc_providers = {
    main = {
      provider_arn               = ${oidc}
      namespace_service_accounts = [${accounts.join(", ")}]
    }
  }
}
`;
  });
  return `${head}${policy}${backups}${roles.join("")}`;
}

function gcp(ctx: PlanContext, bindings: IdentityBinding[], standalone: boolean): string {
  const project = ctx.input.identity.gcp_project_id;
  const head = standalone
    ? `terraform {
  required_version = ">= 1.6"
  required_providers {
    google = { source = "hashicorp/google", version = "${googleProviderVersion}" }
  }
}

provider "google" {
  project = ${hclString(project)}
  region  = ${hclString(ctx.input.region)}
}

`
    : "";
  const accounts = [...new Map(bindings.map((b) => [b.identity, b])).values()].map((b) => {
    const id = b.identity.split("@")[0];
    const members = bindings
      .filter((o) => o.identity === b.identity)
      .map(
        (o) => `
resource "google_service_account_iam_member" "wi_${label(o)}" {
  service_account_id = google_service_account.wi_${label(b)}.name
  role               = "roles/iam.workloadIdentityUser"
  member             = ${hclString(`serviceAccount:${project}.svc.id.goog[${o.namespace}/${o.serviceAccount}]`)}
}
`,
      );
    return `
resource "google_service_account" "wi_${label(b)}" {
  account_id   = ${hclString(id!)}
  display_name = ${hclString(`Workload identity of ${b.namespace}/${b.serviceAccount}`)}
}
${members.join("")}${
      b.access === "secrets"
        ? `
resource "google_project_iam_member" "wi_${label(b)}" {
  project = ${hclString(project)}
  role    = "roles/secretmanager.secretAccessor"
  member  = "serviceAccount:\${google_service_account.wi_${label(b)}.email}"
}
`
        : `
resource "google_storage_bucket_iam_member" "wi_${label(b)}" {
  bucket = google_storage_bucket.${b.access === "backups" ? "backups" : "models"}.name
  role   = ${hclString(b.access === "backups" ? "roles/storage.objectAdmin" : "roles/storage.objectViewer")}
  member = "serviceAccount:\${google_service_account.wi_${label(b)}.email}"
}
`
    }`;
  });
  // Models and data live in their own bucket: the backups hold every Secret of the cluster, so only Velero's
  // account may read them.
  const buckets = [
    ...(bindings.some((b) => b.access === "backups")
      ? [gcpBucket(ctx, "backups", ctx.input.disaster_recovery.backup_bucket)]
      : []),
    ...(bindings.some((b) => (b.access ?? "workload") === "workload")
      ? [gcpBucket(ctx, "models", uniqueBucketName(ctx.input, "models"))]
      : []),
  ];
  return `${head}${buckets.join("")}${accounts.join("")}`;
}

function gcpBucket(ctx: PlanContext, name: string, bucket: string): string {
  return `
resource "google_storage_bucket" "${name}" {
  name                        = ${hclString(bucket)}
  location                    = ${hclString(ctx.input.region)}
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning {
    enabled = true
  }${
    name === "models"
      ? `
  # Training data is kept here (the loader Job copies training/<job>/ into the cluster): an overwritten or deleted
  # object stays recoverable for disaster_recovery.data_retention_days.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = ${ctx.input.disaster_recovery.data_retention_days}
      matches_prefix             = ["training/"]
    }
    action {
      type = "Delete"
    }
  }`
      : ""
  }
}
`;
}

function azure(ctx: PlanContext, bindings: IdentityBinding[], standalone: boolean): string {
  const cluster = ctx.input.cluster_name;
  const head = standalone
    ? `terraform {
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

data "azurerm_kubernetes_cluster" "ml" {
  name                = ${hclString(cluster)}
  resource_group_name = ${hclString(`${cluster}-rg`)}
}

`
    : "";
  const issuer = standalone
    ? "data.azurerm_kubernetes_cluster.ml.oidc_issuer_url"
    : "azurerm_kubernetes_cluster.ml.oidc_issuer_url";
  const group = standalone ? hclString(`${cluster}-rg`) : "azurerm_resource_group.ml.name";
  const location = standalone ? "data.azurerm_kubernetes_cluster.ml.location" : "azurerm_resource_group.ml.location";
  // One managed identity per role: the workloads', External Secrets' (every secret of the vault) and Velero's
  // (the backups). A model server bound to the identity that can read the backups could read every Secret in them.
  const roles = [...new Set(bindings.map((b) => b.access ?? "workload"))];
  const inputClientId = (role: string) =>
    role === "secrets"
      ? ctx.input.identity.azure_external_secrets_client_id
      : role === "backups"
        ? ctx.input.identity.azure_velero_client_id
        : ctx.input.identity.azure_client_id;
  const resourceName = (role: string) =>
    role === "secrets" ? "external_secrets" : role === "backups" ? "velero" : "workloads";
  const identities = roles.map((role) => {
    const r = resourceName(role);
    const field =
      role === "secrets"
        ? "azure_external_secrets_client_id"
        : role === "backups"
          ? "azure_velero_client_id"
          : "azure_client_id";
    const credentials = bindings
      .filter((b) => (b.access ?? "workload") === role)
      .map(
        (b) => `
resource "azurerm_federated_identity_credential" "wi_${label(b)}" {
  name                      = ${hclString(`${b.namespace}-${b.serviceAccount}`.slice(0, 120))}
  user_assigned_identity_id = azurerm_user_assigned_identity.${r}.id
  audience                  = ["api://AzureADTokenExchange"]
  issuer                    = ${issuer}
  subject                   = ${hclString(`system:serviceaccount:${b.namespace}:${b.serviceAccount}`)}
}
`,
      );
    return `
# The identity the ServiceAccounts' azure.workload.identity/client-id names: identity.${field} of the plan must
# be its client id (output ${r}_client_id); the check below warns on apply while it is not.
resource "azurerm_user_assigned_identity" "${r}" {
  name                = ${hclString(`${cluster}-${r.replace(/_/g, "-")}`)}
  resource_group_name = ${group}
  location            = ${location}
}

check "${r}_client_id" {
  assert {
    condition     = azurerm_user_assigned_identity.${r}.client_id == ${hclString(inputClientId(role))}
    error_message = "identity.${field} of the plan is not this identity's client id: set it to output ${r}_client_id and apply the manifests again."
  }
}

output "${r}_client_id" {
  value = azurerm_user_assigned_identity.${r}.client_id
}
${credentials.join("")}`;
  });
  return `${head}${identities.join("").replace(/^\n/, "")}${
    roles.includes("secrets")
      ? `
# External Secrets reads the Key Vault's secrets with its own identity.
data "azurerm_key_vault" "secrets" {
  name                = ${hclString(new URL(ctx.input.identity.azure_key_vault_url).hostname.split(".")[0]!)}
  resource_group_name = ${group}
}

resource "azurerm_role_assignment" "external_secrets" {
  scope                = data.azurerm_key_vault.secrets.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.external_secrets.principal_id
}
`
      : ""
  }${roles.includes("workload") ? azureModelsStore(ctx, group, location) : ""}${
    roles.includes("backups")
      ? `
# Velero writes the backups into the container of the backup location (resource group and storage account as in
# its BackupStorageLocation); only Velero's identity is granted it.
resource "azurerm_resource_group" "backups" {
  name     = ${hclString(`${cluster}-backups`)}
  location = ${location}
}

resource "azurerm_storage_account" "backups" {
  name                            = ${hclString(azureStorageAccount(ctx.input.disaster_recovery.backup_bucket))}
  resource_group_name             = azurerm_resource_group.backups.name
  location                        = azurerm_resource_group.backups.location
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "backups" {
  name                  = ${hclString(ctx.input.disaster_recovery.backup_bucket)}
  storage_account_id    = azurerm_storage_account.backups.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "velero_backups" {
  scope                = azurerm_storage_account.backups.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.velero.principal_id
}
`
      : ""
  }`;
}

/**
 * The workloads' models and data (the training loader's source): a storage account of their own, apart from the
 * backups', which only the workloads' identity reads.
 */
function azureModelsStore(ctx: PlanContext, group: string, location: string): string {
  return `
# Models and training data live in their own account: the backups hold every Secret of the cluster, so no workload
# may read them.
resource "azurerm_storage_account" "models" {
  name                            = ${hclString(azureModelsStorageAccount(ctx.input))}
  resource_group_name             = ${group}
  location                        = ${location}
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "models" {
  name                  = ${hclString(uniqueBucketName(ctx.input, "models"))}
  storage_account_id    = azurerm_storage_account.models.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "workloads_models" {
  scope                = azurerm_storage_account.models.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.workloads.principal_id
}
`;
}

/**
 * identity.tf for the bindings: inside the cluster's own Terraform (standalone false: it reuses the cluster's
 * providers and OIDC issuer) or on its own against an existing cluster. Empty without bindings or on premises.
 */
export function terraformIdentities(
  ctx: PlanContext,
  bindings: IdentityBinding[],
  standalone: boolean,
): Record<string, string> {
  if (bindings.length === 0) return {};
  switch (ctx.input.cloud_provider) {
    case "aws":
      return formatHclFiles({ "identity.tf": aws(ctx, bindings, standalone) });
    case "gcp":
      return formatHclFiles({ "identity.tf": gcp(ctx, bindings, standalone) });
    case "azure":
      return formatHclFiles({ "identity.tf": azure(ctx, bindings, standalone) });
    case "on_premise":
      return {};
  }
}
