import { describe, expect, it } from "vitest";
import { isTransientDbError } from "./drill-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";

describe("isTransientDbError", () => {
  it.each([
    [{ message: "terminating connection due to administrator command" }, true],
    [{ message: "connect ECONNREFUSED 127.0.0.1:5432" }, true],
    [
      { code: "P2039", message: "Database error", meta: { driverAdapterError: { cause: { originalCode: "57P03" } } } },
      true,
    ],
    [{ code: "P1001", message: "Can't reach database server" }, true],
    [{ code: "P2002", message: "Unique constraint failed on the fields: (`liveLockKey`)" }, false],
    [
      { code: "P2039", message: "Database error", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } },
      false,
    ],
    [new StaleAttemptError("r", 1), false],
  ])("%o → %s", (error, transient) => {
    expect(isTransientDbError(error)).toBe(transient);
  });
});
