// Runs the real CLI (tsx --conditions=react-server cli/portal.ts plan ..., what npm run portal runs) as pipelines will: exit codes and streams are the contract.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parsePlanArguments } from "./plan";

const repoRoot = path.resolve(__dirname, "../..");

function portal(args: string[], input?: string) {
  const result = spawnSync(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "cli/portal.ts", ...args],
    { cwd: repoRoot, input, encoding: "utf8", maxBuffer: 32 * 1024 * 1024 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("parsePlanArguments", () => {
  it.each([
    [["--input", "p.json"], { ok: true, source: "p.json", format: "json" }],
    [["--input=-", "--format=yaml"], { ok: true, source: "-", format: "yaml" }],
    [
      ["--format", "xml", "--input", "p.json"],
      { ok: false, message: '--format "xml" is not supported: use json or yaml' },
    ],
    [[], { ok: false, message: "missing --input: give a JSON file, or - to read stdin" }],
  ])("%j", (argv, expected) => {
    expect(parsePlanArguments(argv)).toEqual(expected);
  });
});

describe("portal plan", { timeout: 60_000 }, () => {
  it("prints the plan JSON for a file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
    fs.writeFileSync(file, JSON.stringify({ infrastructure_task: "auto_scaling", workload_type: "inference" }));
    const { code, stdout, stderr } = portal(["plan", "--input", file]);
    expect(code).toBe(0);
    // No database, no live prices: the CLI says the offline table priced the plan.
    expect(stderr).toMatch(/^plan: costs priced from the offline table \(us-east-1, \d{4}-\d{2}-\d{2}\)/m);
    const out = JSON.parse(stdout);
    expect(out.cost_estimate.priced_from.kind).toBe("table");
    expect(Object.keys(out)).toEqual([
      "infrastructure_config",
      "deployment_manifests",
      "cost_estimate",
      "security_report",
      "viability_report",
      "requires",
      "runbooks",
      "validation",
    ]);
    expect(out.deployment_manifests.some((m: { kind: string }) => m.kind === "ScaledObject")).toBe(true);
  });

  it("prints the manifests as one multi-document YAML stream from stdin", () => {
    const { code, stdout } = portal(
      ["plan", "--input", "-", "--format", "yaml"],
      JSON.stringify({ infrastructure_task: "disaster_recovery" }),
    );
    expect(code).toBe(0);
    const kinds = parseAllDocuments(stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toContain("Schedule");
    expect(kinds).toContain("BackupStorageLocation");
    expect(kinds[0]).toBe("Namespace");
  });

  it("exits 2 with `path: message` lines for invalid input", () => {
    const { code, stdout, stderr } = portal(
      ["plan", "--input", "-"],
      JSON.stringify({
        infrastructure_task: "auto_scaling",
        scale_requirements: { min_replicas: 9, max_replicas: 3 },
        cluster_name: "Bad_Name",
      }),
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("cluster_name: cluster_name must be a DNS-1123 label");
    const unknown = portal(["plan", "--input", "-"], JSON.stringify({ infrastructure_task: "teleport" }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^infrastructure_task: infrastructure_task must be one of/m);
  });

  it("exits 2 on min > max, naming the field", () => {
    const { code, stderr } = portal(
      ["plan", "--input", "-"],
      JSON.stringify({ infrastructure_task: "auto_scaling", scale_requirements: { min_replicas: 9, max_replicas: 3 } }),
    );
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      "scale_requirements.max_replicas: max_replicas (3) is below min_replicas (9): raise max_replicas or lower min_replicas",
    );
  });

  it("exits 2 for input over 1 MB and for broken JSON", () => {
    const big = portal(
      ["plan", "--input", "-"],
      JSON.stringify({ infrastructure_task: "auto_scaling", padding: "x".repeat(1024 * 1024) }),
    );
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/larger than 1048576 bytes/);
    const broken = portal(["plan", "--input", "-"], "{not json");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
  });
});
