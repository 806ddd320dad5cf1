// The security report of a set of Kubernetes objects: pure, deterministic, safe to run in the browser.
import type { KubernetesObject } from "@/lib/k8s/types";
import { severities, type SecurityFinding, type SecurityReport } from "./types";
import { checkEnvSecrets } from "./check-env-secrets";
import { checkImages } from "./check-images";
import { checkNetworkPolicies } from "./check-network-policies";
import { checkPodSecurityBaseline } from "./check-pod-security-baseline";
import { checkPodSecurityRestricted } from "./check-pod-security-restricted";
import { checkRbac } from "./check-rbac";
import { checkResources } from "./check-resources";
import { checkServiceAccountToken, serviceAccountAutomount } from "./check-service-account-tokens";
import { findPodSpec } from "./pod-specs";
import { countBySeverity, scoreFindings } from "./score-report";

export function checkManifests(objects: readonly KubernetesObject[]): SecurityReport {
  const findings: SecurityFinding[] = [];
  const accountSettings = serviceAccountAutomount(objects);
  for (const object of objects) {
    const pod = findPodSpec(object);
    if (!pod) continue;
    findings.push(
      ...checkPodSecurityBaseline(pod),
      ...checkPodSecurityRestricted(pod),
      ...checkImages(pod),
      ...checkResources(pod),
      ...checkServiceAccountToken(pod, accountSettings),
      ...checkEnvSecrets(pod),
    );
  }
  findings.push(...checkRbac(objects), ...checkNetworkPolicies(objects));
  const reported = findings.map((finding) => acceptedByAnnotation(finding, objects));
  reported.sort(compareFindings);
  const counts = countBySeverity(reported);
  return { score: scoreFindings(counts), counts, findings: reported };
}

/** Annotation prefix an object uses to accept one check's risk: `security.ml-portal.io/accept.<check>: "<why>"`. */
export const ACCEPT_ANNOTATION_PREFIX = "security.ml-portal.io/accept.";

/**
 * Some risks are the point of an object (the portal's own applier must create workloads anywhere). Its owner can
 * accept one check for that one object by writing the reason in an annotation, as kube-linter's ignore-check
 * annotations do: the finding stays in the report, reviewable, as info with the reason, and no longer costs score.
 * An annotation without a reason accepts nothing.
 */
function acceptedByAnnotation(finding: SecurityFinding, objects: readonly KubernetesObject[]): SecurityFinding {
  const object = objects.find(
    (o) =>
      o.kind === finding.object.kind &&
      o.metadata?.name === finding.object.name &&
      (o.metadata?.namespace ?? undefined) === finding.object.namespace,
  );
  const reason = object?.metadata?.annotations?.[`${ACCEPT_ANNOTATION_PREFIX}${finding.check}`]?.trim();
  if (!reason) return finding;
  return { ...finding, severity: "info", message: `${finding.message} Accepted (was ${finding.severity}): ${reason}` };
}

/** Worst first; then in the order a reader scans a manifest set. Stable across runs for golden files and diffs. */
function compareFindings(a: SecurityFinding, b: SecurityFinding): number {
  return (
    severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
    compareText(a.object.kind, b.object.kind) ||
    compareText(a.object.namespace ?? "", b.object.namespace ?? "") ||
    compareText(a.object.name, b.object.name) ||
    compareText(a.path, b.path) ||
    compareText(a.check, b.check)
  );
}

// Code-unit order, not localeCompare: the order must not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
