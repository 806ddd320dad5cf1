// The reference design (../shared/reference/ml-infrastructure-skill.md) ships an admin ClusterRole with * on * and a
// training Job without any security context; the checker exists to catch exactly that.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkManifests } from "./check-manifests";
import { parseManifestsYaml } from "./parse-manifests";

const fixture = fs.readFileSync(path.resolve(__dirname, "__fixtures__/reference-design.yaml"), "utf8");

function report() {
  const parsed = parseManifestsYaml(fixture);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { objects: parsed.objects, report: checkManifests(parsed.objects) };
}

describe("security report of the reference design", () => {
  it("parses all fifteen objects the reference declares", () => {
    expect(report().objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Job/distributed-training-job",
      "NodePool/ml-gpu-nodepool",
      "EC2NodeClass/ml-gpu-nodeclass",
      "ScaledObject/inference-scaler",
      "NetworkPolicy/ml-inference-network-policy",
      "Role/ml-engineer",
      "ClusterRole/ml-platform-admin",
      "Role/ml-readonly",
      "ServiceAccount/model-server-sa",
      "RoleBinding/model-server-binding",
      "ExternalSecret/ml-model-credentials",
      "ClusterSecretStore/aws-secrets-manager",
      "Schedule/ml-platform-backup",
      "BackupStorageLocation/aws-backup",
      "DaemonSet/nvidia-device-plugin-daemonset",
    ]);
  });

  it("flags ml-platform-admin's * on * rule as critical", () => {
    const findings = report().report.findings.filter((f) => f.object.name === "ml-platform-admin");
    expect(findings).toEqual([
      expect.objectContaining({
        check: "rbac.wildcard-all",
        severity: "critical",
        path: "rules[1]",
        object: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "ml-platform-admin" },
      }),
    ]);
  });

  it("flags the training Job's missing security context, naming every setting it lacks", () => {
    const finding = report().report.findings.find(
      (f) => f.object.name === "distributed-training-job" && f.check === "pss.security-context-missing",
    );
    expect(finding).toMatchObject({
      severity: "medium",
      path: "spec.template.spec.containers[0].securityContext",
      object: { kind: "Job", namespace: "ml-training" },
    });
    for (const setting of ["allowPrivilegeEscalation", "capabilities.drop", "runAsNonRoot", "seccompProfile"])
      expect(finding?.message).toContain(setting);
  });

  it("flags ml-readonly's wildcard resources, which include secrets", () => {
    const checks = report()
      .report.findings.filter((f) => f.object.name === "ml-readonly")
      .map((f) => `${f.severity} ${f.check} ${f.path}`);
    expect(checks).toEqual([
      "high rbac.wildcard-resources rules[0].resources[0]",
      "medium rbac.wildcard-api-groups rules[0].apiGroups[0]",
    ]);
  });

  it("reports the NVIDIA device plugin's hostPath at medium instead of skipping it", () => {
    const finding = report().report.findings.find((f) => f.check === "pss.host-path");
    expect(finding).toMatchObject({
      severity: "medium",
      path: "spec.template.spec.volumes[0].hostPath",
      object: { kind: "DaemonSet", name: "nvidia-device-plugin-daemonset" },
    });
  });

  it("has exactly one critical finding, and a score that reflects it", () => {
    const { report: r } = report();
    expect(r.counts.critical).toBe(1);
    expect(r.score).toBeLessThanOrEqual(50);
  });
});
