import { describe, expect, it } from "vitest";
import { assessRestore, isVeleroTerminal } from "./assess-restore";

const restore = (phase: string, errors = 0, warnings = 0) => ({
  name: "r1",
  namespace: "velero",
  backupName: "b1",
  phase,
  errors,
  warnings,
  itemsRestored: 4,
});

describe("assessRestore", () => {
  it.each([
    ["Completed", 0, 0, false, true],
    ["Completed", 0, 3, false, false],
    ["Completed", 2, 0, false, false],
    ["PartiallyFailed", 1, 2, false, false],
    ["PartiallyFailed", 1, 2, true, true],
    ["Failed", 1, 0, true, false],
    ["InProgress", 0, 0, true, false],
  ])("%s errors=%i warnings=%i allow=%s → ok=%s", (phase, errors, warnings, allow, ok) => {
    expect(assessRestore(restore(phase, errors, warnings), allow).ok).toBe(ok);
  });

  it("names the restore, phase and counts when refusing", () => {
    const r = assessRestore(restore("PartiallyFailed", 1, 2), false);
    expect(r).toEqual({
      ok: false,
      reason:
        "restore r1 ended PartiallyFailed with 1 error, 2 warnings; the plan does not allow restore warnings or errors",
    });
  });
});

describe("a restore's proof of recovered items", () => {
  it("refuses a finished restore that reports no itemsRestored, even with the plan allowing warnings", () => {
    const r = assessRestore({ ...restore("Completed"), itemsRestored: null }, true);
    expect(r).toEqual({
      ok: false,
      reason:
        "restore r1 ended Completed without reporting status.progress.itemsRestored: nothing shows an item was recovered (0 errors, 0 warnings)",
    });
    expect(assessRestore({ ...restore("Completed"), itemsRestored: undefined }, true).ok).toBe(false);
  });

  it("refuses a restore that restored 0 items", () => {
    expect(assessRestore({ ...restore("Completed"), itemsRestored: 0 }, false)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("restored 0 items"),
    });
  });
});

describe("Velero's terminal phases", () => {
  it.each([
    ["Completed", true],
    ["PartiallyFailed", true],
    ["Failed", true],
    ["FailedValidation", true],
    ["WaitingForPluginOperations", false],
    ["WaitingForPluginOperationsPartiallyFailed", false],
    ["Finalizing", false],
    ["FinalizingPartiallyFailed", false],
    ["InProgress", false],
  ])("%s terminal: %s", (phase, terminal) => {
    expect(isVeleroTerminal(phase)).toBe(terminal);
  });
});

describe("a restore that restored nothing", () => {
  it("fails even when Completed without warnings, and says why", () => {
    const r = assessRestore({ ...restore("Completed"), itemsRestored: 0 }, true);
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringContaining("restored 0 items (status.progress.itemsRestored)"),
    });
    expect(assessRestore({ ...restore("Completed"), itemsRestored: 12 }, false)).toEqual({ ok: true });
  });
  it("fails on failed restore item operations", () => {
    expect(assessRestore({ ...restore("Completed"), itemsRestored: 3, itemOperationsFailed: 1 }, true)).toMatchObject({
      ok: false,
    });
  });
});

describe("skipped existing objects", () => {
  it("refuses a restore whose every counted item drew an 'already exists' warning: Velero counts skipped items", () => {
    const r = assessRestore(
      { ...restore("Completed"), itemsRestored: 3, warnings: 3, existingResourcePolicy: "none" },
      true,
    );
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Velero counts skipped existing objects, so every item may have been skipped"),
    });
  });
  it("accepts such counts when existing objects are updated, not skipped", () => {
    expect(
      assessRestore({ ...restore("Completed"), itemsRestored: 3, warnings: 3, existingResourcePolicy: "update" }, true)
        .ok,
    ).toBe(true);
  });
});
