import { describe, expect, it } from "vitest";
import { auditDetailEntries, auditTargetDisplay, auditTargetHref, auditTargetKey } from "./audit-view";

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

describe("auditTargetDisplay", () => {
  const names = new Map([[auditTargetKey("request", "cmxdja76p0002"), "REQ-3"]]);

  it("shows a known target by its name, linked, with the id in the tooltip", () => {
    expect(auditTargetDisplay("request", "cmxdja76p0002", names)).toEqual({
      text: "REQ-3",
      href: "/requests/cmxdja76p0002",
      title: "request cmxdja76p0002",
    });
  });

  it("falls back to the id when the target has no name (deleted, or a kind without one)", () => {
    expect(auditTargetDisplay("request", "gone1", names)).toEqual({
      text: "gone1",
      href: "/requests/gone1",
      title: undefined,
    });
    expect(auditTargetDisplay("user", "u1", names)).toEqual({ text: "u1", href: null, title: undefined });
  });

  it("shows nothing for an event without a target", () => {
    expect(auditTargetDisplay("api", null, names)).toBeNull();
  });
});
