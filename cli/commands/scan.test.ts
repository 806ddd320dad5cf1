// Runs the real CLI (tsx --conditions=react-server cli/portal.ts scan ..., what npm run portal runs) the way pipelines will: exit codes and streams are the contract.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseScanArguments } from "./scan";

const repoRoot = path.resolve(__dirname, "../..");
const fixture = "lib/security/__fixtures__/reference-design.yaml";

function portal(args: string[], input?: string) {
  const result = spawnSync(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "cli/portal.ts", ...args],
    { cwd: repoRoot, input, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cleanPod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: apps}
spec:
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: registry.example.com/a:1@sha256:0000000000000000000000000000000000000000000000000000000000000000
    resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 10Mi}}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: apps}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;

describe("portal scan", { timeout: 30_000 }, () => {
  it("prints the report JSON of a file and exits 0", () => {
    const { code, stdout } = portal(["scan", fixture]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(
      report.findings.some(
        (f: { check: string; object: { name: string } }) =>
          f.check === "rbac.wildcard-all" && f.object.name === "ml-platform-admin",
      ),
    ).toBe(true);
  });

  it("exits 1 with --fail-on high when high or critical findings exist, still printing the report", () => {
    const { code, stdout, stderr } = portal(["scan", fixture, "--fail-on", "high"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).counts.critical).toBe(1);
    expect(stderr).toContain("at or above high");
  });

  it("reads stdin with - and exits 0 under --fail-on low when nothing reaches low", () => {
    const { code, stdout } = portal(["scan", "-", "--fail-on=low"], cleanPod);
    expect(code).toBe(0);
    const { viability, ...security } = JSON.parse(stdout);
    expect(security).toEqual({
      score: 100,
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      findings: [],
    });
    // The image's entrypoint is unknown to the checker: an info finding, below every --fail-on threshold but info.
    expect(viability.findings.map((f: { check: string }) => f.check)).toEqual(["viability.unknown-entrypoint"]);
  });

  // Three runs of the CLI: each starts tsx, slow on a busy machine.
  it(
    "reports viability beside security: with --cloud, a PVC on a class the cloud lacks fails --fail-on high",
    { timeout: 120_000 },
    () => {
      const claim =
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: apps}\nspec: {accessModes: [ReadWriteMany], storageClassName: efs-sc, resources: {requests: {storage: 1Gi}}}\n";
      const onGcp = portal(["scan", "-", "--cloud", "gcp", "--fail-on", "high"], claim);
      expect(onGcp.code).toBe(1);
      expect(JSON.parse(onGcp.stdout).viability.findings[0]).toMatchObject({
        check: "viability.missing-storage-class",
        object: { kind: "PersistentVolumeClaim", name: "data" },
      });
      // The portal's EKS cluster plan creates efs-sc: its own manifests scan clean on --cloud aws.
      expect(portal(["scan", "-", "--cloud", "aws", "--fail-on", "high"], claim).code).toBe(0);
      // A cluster that has the class from elsewhere says so.
      expect(
        portal(["scan", "-", "--cloud", "gcp", "--storage-class", "efs-sc", "--fail-on", "high"], claim).code,
      ).toBe(0);
    },
  );

  it("flags a pod that selects AKS spot nodes without tolerating their taint", { timeout: 120_000 }, () => {
    const pod = (tolerations: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  nodeSelector: {kubernetes.azure.com/scalesetpriority: spot}\n${tolerations}  containers: [{name: c, image: "registry.example/app:1"}]\n`;
    const bare = JSON.parse(portal(["scan", "-", "--cloud", "aws"], pod("")).stdout).viability.findings;
    expect(bare).toContainEqual(
      expect.objectContaining({ check: "viability.untolerated-taint", path: "spec.tolerations" }),
    );
    const tolerated = pod(
      "  tolerations: [{key: kubernetes.azure.com/scalesetpriority, operator: Equal, value: spot, effect: NoSchedule}]\n",
    );
    const findings = JSON.parse(portal(["scan", "-", "--cloud", "aws"], tolerated).stdout).viability.findings;
    expect(findings.map((f: { check: string }) => f.check)).not.toContain("viability.untolerated-taint");
  });

  it("does not flag a pod that selects GKE spot nodes: a Standard spot pool is tainted only when it says so", () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  nodeSelector: {cloud.google.com/gke-spot: "true"}\n  containers: [{name: c, image: "registry.example/app:1"}]\n';
    const { stdout } = portal(["scan", "-", "--cloud", "gcp"], pod);
    const checks = JSON.parse(stdout).viability.findings.map((f: { check: string }) => f.check);
    expect(checks).not.toContain("viability.untolerated-taint");
    expect(checks).toContain("viability.unknown-entrypoint");
  });

  it.each([
    { name: "invalid YAML objects", args: ["scan", "-"], input: "kind: Pod\n", stderr: /document 1 apiVersion/ },
    {
      name: "2 MB on stdin",
      args: ["scan", "-"],
      input: `a: "${"x".repeat(2 * 1024 * 1024)}"\n`,
      stderr: /larger than 1048576 bytes/,
    },
    {
      name: "a missing file",
      args: ["scan", "does-not-exist.yaml"],
      input: undefined,
      stderr: /cannot read does-not-exist.yaml/,
    },
    { name: "no file", args: ["scan"], input: undefined, stderr: /missing input/ },
    {
      name: "an unknown severity",
      args: ["scan", fixture, "--fail-on", "severe"],
      input: undefined,
      stderr: /--fail-on "severe" is not a severity/,
    },
  ])("exits 2 on $name with a message on stderr and nothing on stdout", ({ args, input, stderr }) => {
    const result = portal(args, input);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(stderr);
    expect(result.stdout).toBe("");
  });
});

describe("parseScanArguments", () => {
  it.each([
    { argv: ["a.yaml"], expected: { ok: true, value: { source: "a.yaml", failOn: undefined } } },
    { argv: ["--fail-on", "medium", "-"], expected: { ok: true, value: { source: "-", failOn: "medium" } } },
    { argv: ["a.yaml", "b.yaml"], expected: { ok: false, message: expect.stringContaining("unexpected argument") } },
    { argv: ["--verbose", "a.yaml"], expected: { ok: false, message: "unknown option --verbose" } },
    {
      argv: ["a.yaml", "--cloud=azure"],
      expected: { ok: true, value: { source: "a.yaml", failOn: undefined, cloud: "azure" } },
    },
    {
      argv: ["a.yaml", "--cloud", "ibm"],
      expected: { ok: false, message: expect.stringContaining('--cloud "ibm" is not a cloud') },
    },
    {
      argv: ["a.yaml", "--storage-class", "efs-sc", "--storage-class=fast"],
      expected: { ok: true, value: { source: "a.yaml", failOn: undefined, storageClasses: ["efs-sc", "fast"] } },
    },
    {
      argv: ["a.yaml", "--storage-class", "Bad Name"],
      expected: {
        ok: false,
        message: expect.stringContaining('--storage-class "Bad Name" is not a StorageClass name'),
      },
    },
    { argv: ["a.yaml", "--fail-on"], expected: { ok: false, message: expect.stringContaining("is not a severity") } },
  ])("parses $argv", ({ argv, expected }) => {
    expect(parseScanArguments(argv)).toEqual(expected);
  });
});
