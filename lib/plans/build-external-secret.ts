// External Secrets v1 (the API servers of current releases do not serve v1beta1): one ClusterSecretStore for the
// cloud's secret manager, authenticated by workload identity, and the model credentials ExternalSecret.
import type { KubernetesObject } from "@/lib/k8s/types";
import { gcpServiceAccountId, labelsFor, type PlanContext } from "./plan-context";
import type { IdentityBinding } from "./terraform-identities";

export const externalSecretsApi = "external-secrets.io/v1";
// A ClusterSecretStore has no namespace of its own: without one here, the account is looked up in the namespace
// of each ExternalSecret that uses the store, where it does not exist.
const operatorAccount = { name: "external-secrets", namespace: "external-secrets" };

export function secretStoreName(ctx: PlanContext): string {
  return { aws: "aws-secrets-manager", gcp: "gcp-secret-manager", azure: "azure-key-vault", on_premise: "vault" }[
    ctx.input.cloud_provider
  ];
}

function provider(ctx: PlanContext): Record<string, unknown> {
  const { input } = ctx;
  switch (input.cloud_provider) {
    case "aws":
      return {
        aws: { service: "SecretsManager", region: input.region, auth: { jwt: { serviceAccountRef: operatorAccount } } },
      };
    case "gcp":
      return {
        gcpsm: {
          projectID: input.identity.gcp_project_id,
          auth: {
            workloadIdentity: {
              clusterLocation: input.region,
              clusterName: input.cluster_name,
              serviceAccountRef: operatorAccount,
            },
          },
        },
      };
    case "azure":
      return {
        azurekv: {
          vaultUrl: input.identity.azure_key_vault_url,
          tenantId: input.identity.azure_tenant_id,
          authType: "WorkloadIdentity",
          serviceAccountRef: operatorAccount,
        },
      };
    case "on_premise":
      return {
        vault: {
          server: input.identity.vault_address,
          path: "secret",
          version: "v2",
          auth: {
            kubernetes: { mountPath: "kubernetes", role: "external-secrets", serviceAccountRef: operatorAccount },
          },
        },
      };
  }
}

export function buildExternalSecrets(ctx: PlanContext): KubernetesObject[] {
  const store = secretStoreName(ctx);
  // Key Vault and Secret Manager names allow no "/" (letters, digits, "-" and "_" only); AWS and Vault paths do.
  const separator = ctx.input.cloud_provider === "azure" || ctx.input.cloud_provider === "gcp" ? "-" : "/";
  const ref = (key: string, property: string) => ({ key: `ml-platform${separator}${key}`, property });
  return [
    {
      apiVersion: externalSecretsApi,
      kind: "ClusterSecretStore",
      metadata: { name: store, labels: labelsFor(ctx, "external-secrets") },
      spec: { provider: provider(ctx) },
    },
    {
      apiVersion: externalSecretsApi,
      kind: "ExternalSecret",
      metadata: {
        name: "model-credentials",
        namespace: ctx.workloadNamespace,
        labels: labelsFor(ctx, "external-secrets"),
      },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { name: store, kind: "ClusterSecretStore" },
        target: { name: "model-credentials", creationPolicy: "Owner" },
        data: [
          { secretKey: "mlflow_tracking_token", remoteRef: ref("mlflow", "tracking_token") },
          { secretKey: "object_store_access_key", remoteRef: ref("object-store", "access_key") },
          { secretKey: "object_store_secret_key", remoteRef: ref("object-store", "secret_key") },
        ],
      },
    },
  ];
}

/**
 * The cloud identity the stores' serviceAccountRef resolves to: External Secrets reads the referenced account's
 * identity annotation and exchanges its token, so that account (the operator's own, created by its Helm chart)
 * carries the annotation through the chart's values and the identity is created with the plan's Terraform.
 */
export function externalSecretsIdentity(ctx: PlanContext): IdentityBinding | undefined {
  const { input } = ctx;
  const identity = {
    aws: `arn:aws:iam::${input.identity.aws_account_id}:role/${input.cluster_name}-external-secrets`,
    gcp: `${gcpServiceAccountId("external-secrets")}@${input.identity.gcp_project_id}.iam.gserviceaccount.com`,
    azure: input.identity.azure_external_secrets_client_id,
    on_premise: undefined,
  }[input.cloud_provider];
  return identity
    ? { namespace: operatorAccount.namespace, serviceAccount: operatorAccount.name, identity, access: "secrets" }
    : undefined;
}

/** Helm values of the external-secrets chart that bind its ServiceAccount to that identity. */
export function externalSecretsHelmValues(ctx: PlanContext): Record<string, unknown> {
  const { input } = ctx;
  const identity = externalSecretsIdentity(ctx);
  const annotations: Record<string, string> = !identity
    ? {}
    : input.cloud_provider === "aws"
      ? { "eks.amazonaws.com/role-arn": identity.identity }
      : input.cloud_provider === "gcp"
        ? { "iam.gke.io/gcp-service-account": identity.identity }
        : {
            "azure.workload.identity/client-id": identity.identity,
            "azure.workload.identity/tenant-id": input.identity.azure_tenant_id,
          };
  return {
    serviceAccount: { create: true, name: operatorAccount.name, annotations },
    podLabels: input.cloud_provider === "azure" ? { "azure.workload.identity/use": "true" } : {},
  };
}
