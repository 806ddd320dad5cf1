import { describe, expect, it } from "vitest";
import { parseStoredJson, stepOutputSchema, storedEvidenceSchema } from "./stored-json";

describe("drill JSON columns read back through their schemas", () => {
  it("gives an empty column as {} and keeps fields the schema does not name", () => {
    expect(parseStoredJson(storedEvidenceSchema, null, "DrillRun.evidence")).toEqual({});
    const evidence = { notes: ["restored"], restores: [{ name: "r1", extra: 1 }], rtoBasis: "failure → healthy" };
    expect(parseStoredJson(storedEvidenceSchema, evidence, "DrillRun.evidence")).toEqual(evidence);
    const output = { validation: { state: "succeeded", detail: "3/3 ready" }, progress: "restore InProgress" };
    expect(parseStoredJson(stepOutputSchema, output, "DrillStepResult.output")).toEqual(output);
  });

  it("refuses a value of the wrong shape, naming the column", () => {
    expect(() => parseStoredJson(storedEvidenceSchema, { notes: "restored" }, "DrillRun.evidence")).toThrow(
      /^DrillRun\.evidence is not drill evidence$/,
    );
    expect(() => parseStoredJson(stepOutputSchema, [], "DrillStepResult.output")).toThrow(/DrillStepResult\.output/);
    expect(() => parseStoredJson(stepOutputSchema, { rollback: { state: "done" } }, "DrillStepResult.output")).toThrow(
      /not a drill step's output/,
    );
  });
});
