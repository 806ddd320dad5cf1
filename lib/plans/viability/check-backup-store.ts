// Where Velero writes: a backup that restores a lost cluster must live outside it. An S3 URL that names a Service
// of the cluster (MinIO at minio.minio.svc) goes down with the cluster, and the recovery has nothing to read.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { refName } from "./pods";

/** Host names only the cluster's DNS resolves: `<svc>.<ns>.svc[.cluster.local]`, `*.cluster.local`, bare names. */
export function isInClusterHost(host: string): boolean {
  const parts = host.toLowerCase().split(".");
  return parts.length === 1 || parts[2] === "svc" || host.toLowerCase().endsWith(".cluster.local");
}

/** The documentation domains (RFC 2606): a store nobody runs, which the requester must replace with theirs. */
export function isPlaceholderHost(host: string): boolean {
  return /(^|\.)example\.(com|net|org)$|\.(example|invalid|test)$/.test(host.toLowerCase());
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export function checkBackupStore(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const location of objects.filter(
    (o) => o.kind === "BackupStorageLocation" && o.apiVersion.startsWith("velero.io/"),
  )) {
    const url = asRecord(asRecord(location.spec)?.config)?.s3Url;
    const host = typeof url === "string" ? hostOf(url) : undefined;
    if (!host) continue;
    if (isInClusterHost(host)) {
      findings.push(
        viabilityFinding(
          "viability.backup-store-in-cluster",
          location,
          "spec.config.s3Url",
          `${refName(location)} writes the backups to ${String(url)}, a Service of the cluster they protect: when the cluster is lost, so are its backups.`,
          "Point disaster_recovery.object_store_url at an S3-compatible store outside the cluster (another site's MinIO or Ceph RGW, or a cloud bucket), with disaster_recovery.object_store_ca_cert when a private CA signed its certificate.",
        ),
      );
    } else if (isPlaceholderHost(host)) {
      findings.push(
        viabilityFinding(
          "viability.placeholder-object-store",
          location,
          "spec.config.s3Url",
          `${refName(location)} would write the backups to ${String(url)}, a placeholder address.`,
          "Set disaster_recovery.object_store_url to your S3-compatible store outside the cluster (and disaster_recovery.object_store_ca_cert to the base64 of its CA's PEM when a private CA signed it), and regenerate the plan.",
        ),
      );
    }
  }
  return findings;
}
