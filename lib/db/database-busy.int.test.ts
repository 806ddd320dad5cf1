// What "the database is busy" looks like from Prisma on a real PostgreSQL, so route() answers 503 (try again)
// for it rather than 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma, isDatabaseBusy } from "./prisma.server";

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("db_busy"));
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("isDatabaseBusy", () => {
  it("recognises a transaction that ran past its timeout", async () => {
    const error = await getPrisma()
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe("SELECT pg_sleep(0.5)");
        },
        { timeout: 100 },
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).not.toBeNull();
    expect(isDatabaseBusy(error)).toBe(true);
  });

  it("recognises a transaction that could not get a connection in time", async () => {
    const db = getPrisma();
    // Hold every pooled connection (10 by default) for a second; one more transaction must wait and give up.
    const holders = Array.from({ length: 10 }, () =>
      db.$transaction(async (tx) => void (await tx.$executeRawUnsafe("SELECT pg_sleep(1)"))),
    );
    await new Promise((r) => setTimeout(r, 200));
    const error = await db
      .$transaction(async (tx) => tx.$queryRawUnsafe("SELECT 1"), { maxWait: 50 })
      .then(
        () => null,
        (e: unknown) => e,
      );
    await Promise.all(holders);
    expect(error).not.toBeNull();
    expect(isDatabaseBusy(error)).toBe(true);
  });

  it("does not take other failures for busy", async () => {
    const error = await getPrisma()
      .$queryRawUnsafe("SELECT * FROM no_such_table")
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isDatabaseBusy(error)).toBe(false);
  });
});
