import { describe, expect, it } from "vitest";
import { postconditionMessage, postconditionReport } from "./postcondition-report";

const ref = (kind: string, name: string) => ({ apiVersion: "apps/v1", kind, namespace: "ml", name });

describe("post-conditions after an apply", () => {
  it("says why each check is not ok and what to do", () => {
    const lines = postconditionReport({
      exist: { ok: false, missing: [ref("Service", "llm")], unknown: [] },
      ready: { ok: false, workloads: [{ ref: ref("Deployment", "llm"), ready: false, detail: "1/2 replicas ready" }] },
      monitoring: { ok: false, workloads: [{ workload: "Deployment ml/llm", configured: false, evidence: [] }] },
    });
    expect(lines.map((l) => l.state)).toEqual(["failed", "not_yet", "failed"]);
    expect(lines[0]!.reason).toBe("Service ml/llm is missing");
    expect(lines[0]!.action).toContain("Check drift");
    expect(lines[1]!.reason).toBe("Deployment ml/llm: 1/2 replicas ready");
    expect(lines[1]!.action).toContain("check again");
    expect(lines[2]!.reason).toContain("Deployment ml/llm");
    expect(lines[2]!.action).toContain("prometheus.io/scrape");
    const message = postconditionMessage(lines);
    expect(message).toContain("workloads ready not yet: Deployment ml/llm: 1/2 replicas ready.");
    expect(message).toContain("monitoring configured ✗: no ServiceMonitor");
  });

  it("keeps the message short when every check passes", () => {
    const lines = postconditionReport({
      exist: { ok: true, missing: [], unknown: [] },
      ready: { ok: true, workloads: [{ ref: ref("Deployment", "llm"), ready: true, detail: "2/2" }] },
      monitoring: { ok: true, workloads: [{ workload: "Deployment ml/llm", configured: true, evidence: ["x"] }] },
    });
    expect(lines.every((l) => l.state === "ok" && l.reason === "" && l.action === "")).toBe(true);
    expect(postconditionMessage(lines)).toBe(
      "Post-conditions: objects exist ✓, workloads ready ✓, monitoring configured ✓",
    );
  });
});
