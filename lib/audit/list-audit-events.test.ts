import { describe, expect, it } from "vitest";
import { auditQuerySchema } from "./list-audit-events.server";

describe("auditQuerySchema", () => {
  it('keeps the other filters when the form sends an untouched field as an empty string (outcome "Any")', () => {
    expect(auditQuerySchema.parse({ action: "request.force-apply", outcome: "", actor: "" })).toEqual({
      action: "request.force-apply",
      page: 1,
    });
  });

  it.each([
    [
      { outcome: "denied", actor: "finance@" },
      { outcome: "denied", actor: "finance@", page: 1 },
    ],
    [
      { action: "page.access", page: "2" },
      { action: "page.access", page: 2 },
    ],
    [{}, { page: 1 }],
  ])("parses %j", (query, parsed) => {
    expect(auditQuerySchema.parse(query)).toEqual(parsed);
  });

  it("still refuses an outcome that is not one of success, denied, failure", () => {
    expect(auditQuerySchema.safeParse({ outcome: "maybe" }).success).toBe(false);
  });
});
