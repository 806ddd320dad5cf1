import { describe, expect, it } from "vitest";
import { budgetFromText, errorsByField, teamBody } from "./team-form-model";

const values = { slug: "speech", name: "Speech", costLabelValues: "speech-research, asr", monthlyBudgetUsd: "12,500" };

describe("teamBody", () => {
  it("turns what people type into the API body", () => {
    expect(teamBody(values, "create")).toEqual({
      ok: true,
      body: { slug: "speech", name: "Speech", costLabelValues: ["speech-research", "asr"], monthlyBudgetUsd: 12500 },
    });
    expect(teamBody({ ...values, monthlyBudgetUsd: "" }, "edit")).toEqual({
      ok: true,
      body: { name: "Speech", costLabelValues: ["speech-research", "asr"], monthlyBudgetUsd: null },
    });
  });

  it.each([
    [{ slug: "Speech Team" }, "slug", /lower-case/],
    [{ name: "" }, "name", /must not be empty/],
    [{ costLabelValues: "ok, -bad-" }, "costLabelValues", /^"-bad-" must be a Kubernetes label value/],
    [{ monthlyBudgetUsd: "lots" }, "monthlyBudgetUsd", /must be a number/],
    [{ monthlyBudgetUsd: "-5" }, "monthlyBudgetUsd", /must be a number/],
  ])("%j is refused on %s", (change, field, message) => {
    const result = teamBody({ ...values, ...change }, "create");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[field as keyof typeof result.errors]).toMatch(message);
  });
});

describe("errorsByField", () => {
  it("puts the API's 422 fields on the form field, naming the label value", () => {
    expect(
      errorsByField(
        [
          { path: "costLabelValues.1", message: "already team nlp's" },
          { path: "slug", message: "already exists" },
        ],
        values,
      ),
    ).toEqual({
      costLabelValues: '"asr" already team nlp\'s',
      slug: "already exists",
    });
  });
});

describe("budgetFromText", () => {
  it.each([
    ["", null],
    ["$1,000.50", 1000.5],
    ["abc", "abc"],
  ])("%s → %j", (text, value) => expect(budgetFromText(text)).toEqual(value));
});
