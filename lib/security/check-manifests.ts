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
  findings.sort(compareFindings);
  const counts = countBySeverity(findings);
  return { score: scoreFindings(counts), counts, findings };
}

/** Worst first; then in the order a reader scans a manifest set. Stable across runs for golden files and diffs. */
function compareFindings(a: SecurityFinding, b: SecurityFinding): number {
  return (
    severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
    a.object.kind.localeCompare(b.object.kind) ||
    (a.object.namespace ?? "").localeCompare(b.object.namespace ?? "") ||
    a.object.name.localeCompare(b.object.name) ||
    a.path.localeCompare(b.path) ||
    a.check.localeCompare(b.check)
  );
}
