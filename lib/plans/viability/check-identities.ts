// Every cloud identity a ServiceAccount is bound to (IRSA role, GCP service account, Azure managed identity) is
// created, with the binding that lets that Kubernetes ServiceAccount assume it: an annotation naming an identity
// nobody creates makes every token exchange fail.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { refName } from "./pods";

export const identityAnnotations = [
  "eks.amazonaws.com/role-arn",
  "iam.gke.io/gcp-service-account",
  "azure.workload.identity/client-id",
] as const;

/** "namespace/name" of a ServiceAccount, the key the created identities are bound to. */
export const accountKey = (namespace: string, name: string) => `${namespace}/${name}`;

export function checkIdentities(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.createdIdentities) return [];
  const findings: SecurityFinding[] = [];
  for (const account of objects.filter((o) => o.kind === "ServiceAccount")) {
    const annotations = account.metadata.annotations ?? {};
    for (const key of identityAnnotations) {
      const identity = annotations[key];
      if (!identity) continue;
      const bound = facts.createdIdentities.find((c) => c.identity === identity);
      const who = accountKey(account.metadata.namespace ?? "", account.metadata.name);
      if (bound && bound.serviceAccounts.includes(who)) continue;
      findings.push(
        viabilityFinding(
          "viability.identity-not-created",
          account,
          `metadata.annotations["${key}"]`,
          bound
            ? `${refName(account)} names ${identity}, which the plan creates without a binding for ServiceAccount ${who}: the token exchange is refused.`
            : `${refName(account)} names ${identity}, which neither the plan's Terraform nor the cluster creates: every cloud call from its pods fails.`,
          `Create ${identity} with a trust (IRSA), workload identity user binding (GKE) or federated credential (Azure) for system:serviceaccount:${who} (the plan's identity Terraform does), or remove the annotation.`,
        ),
      );
    }
  }
  return findings;
}

/** The backup agent's namespace: the only ServiceAccounts whose identity may read the backup store. */
export const backupAgentNamespace = "velero";

export function checkBackupReaders(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const created of facts.createdIdentities ?? []) {
    if (!created.readsBackups) continue;
    for (const who of created.serviceAccounts) {
      const [namespace, name] = who.split("/");
      if (namespace === backupAgentNamespace) continue;
      const account = objects.find(
        (o) => o.kind === "ServiceAccount" && o.metadata.name === name && (o.metadata.namespace ?? "") === namespace,
      );
      if (!account) continue;
      const key = identityAnnotations.find((k) => account.metadata.annotations?.[k] === created.identity);
      findings.push(
        viabilityFinding(
          "viability.workload-reads-backups",
          account,
          key ? `metadata.annotations["${key}"]` : "metadata.annotations",
          `${refName(account)} is bound to ${created.identity}, which can read the backup store: its pods can read every Secret the backups hold.`,
          `Give ${who} its own identity that reads only the models store, and keep read access to the backup store to the backup agent in namespace ${backupAgentNamespace}.`,
        ),
      );
    }
  }
  return findings;
}

/** The schema's stand-ins: AWS's documentation account, all-zero Azure client ids and the default GCP project. */
const placeholderPatterns = [
  /arn:aws:iam::123456789012:/,
  /^00000000-0000-[04]000-[08]000-0000000000[0-9a-f]{2}$/,
  /@ml-platform-project\.iam\.gserviceaccount\.com$/,
];

function placeholderFix(identity: string, chartField?: string): string {
  if (identity.startsWith("arn:")) return "Set identity.aws_account_id to the AWS account the cluster runs in.";
  if (identity.endsWith(".iam.gserviceaccount.com"))
    return "Set identity.gcp_project_id to the project the cluster runs in, and regenerate the plan.";
  return chartField
    ? `Set the plan's ${chartField} to the client id the identity Terraform outputs.`
    : "Set the plan's Azure client id to the client id the identity Terraform outputs for this role, and regenerate the plan.";
}

export function isPlaceholderIdentity(identity: string): boolean {
  return placeholderPatterns.some((p) => p.test(identity));
}

export function checkPlaceholderIdentities(
  objects: readonly KubernetesObject[],
  facts: ViabilityFacts,
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const reported = new Set<string>();
  for (const account of objects.filter((o) => o.kind === "ServiceAccount")) {
    for (const key of identityAnnotations) {
      const identity = account.metadata.annotations?.[key];
      if (!identity || !isPlaceholderIdentity(identity)) continue;
      reported.add(identity);
      findings.push(
        viabilityFinding(
          "viability.placeholder-identity",
          account,
          `metadata.annotations["${key}"]`,
          `${refName(account)} would be applied with the placeholder identity ${identity}.`,
          key === "eks.amazonaws.com/role-arn"
            ? "Set identity.aws_account_id to the AWS account the cluster runs in (the identity Terraform's check plan_account shows it)."
            : placeholderFix(identity),
        ),
      );
    }
  }
  // Identities of chart-installed ServiceAccounts (Velero, External Secrets): reported on their objects in the set.
  for (const created of facts.createdIdentities ?? []) {
    if (reported.has(created.identity) || !isPlaceholderIdentity(created.identity)) continue;
    const owner = objects.find((o) =>
      created.readsBackups ? o.apiVersion.startsWith("velero.io/") : o.apiVersion.startsWith("external-secrets.io/"),
    );
    if (!owner) continue;
    reported.add(created.identity);
    findings.push(
      viabilityFinding(
        "viability.placeholder-identity",
        owner,
        "metadata",
        `The identity ${created.identity} that ${created.serviceAccounts.join(", ")} would use is a placeholder.`,
        placeholderFix(
          created.identity,
          created.readsBackups ? "identity.azure_velero_client_id" : "identity.azure_external_secrets_client_id",
        ),
      ),
    );
  }
  return findings;
}
