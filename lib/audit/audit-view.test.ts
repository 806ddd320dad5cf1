import { describe, expect, it } from "vitest";
import { auditDetailEntries, auditTargetHref } from "./audit-view";

describe("auditTargetHref", () => {
  it.each([
    ["request", "req1", "/requests/req1"],
    ["cluster", "c1", "/clusters/c1"],
    ["drill_run", "run 1", "/drills/runs/run%201"],
    ["dr_plan", "model_corruption", "/drills/plans/model_corruption"],
    ["recommendation", "r1", "/costs?recommendation=r1#recs-title"],
    ["page", "/audit", "/audit"],
    ["page", "https://elsewhere.example", null],
    ["user", "u1", null],
    ["request", null, null],
  ])("%s %s → %s", (type, id, href) => {
    expect(auditTargetHref(type, id)).toBe(href);
  });
});

describe("auditDetailEntries", () => {
  it("lists top-level fields, strings as they are and the rest as JSON", () => {
    expect(auditDetailEntries({ reason: "too big", applyRunId: "run1", scopes: ["a", "b"] })).toEqual([
      { key: "reason", value: "too big" },
      { key: "applyRunId", value: "run1" },
      { key: "scopes", value: '["a","b"]' },
    ]);
  });

  it("cuts a long value so one row cannot widen the table", () => {
    const [entry] = auditDetailEntries({ error: "x".repeat(500) });
    expect(entry!.value).toHaveLength(160);
    expect(entry!.value.endsWith("…")).toBe(true);
  });

  it("shows nothing for empty details", () => {
    expect(auditDetailEntries({})).toEqual([]);
    expect(auditDetailEntries(null)).toEqual([]);
  });
});
