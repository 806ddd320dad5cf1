// The one reader and writer of the Setting table: a value goes in only when its schema accepts it, comes out parsed
// (defaults filled in), and a stored value the schema refuses is reported as invalid with the fields it names rather
// than handed out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { defineSetting } from "./setting";
import { readSetting, writeSetting } from "./setting-store.server";

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("setting_store"));
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

const limits = defineSetting(
  "test.limits",
  z.object({ maxGpus: z.number().int().min(1), teams: z.array(z.string()).default([]) }),
);

describe("readSetting / writeSetting", () => {
  it("reads a key nobody wrote as missing", async () => {
    expect(await readSetting(getPrisma(), limits)).toEqual({ state: "missing" });
  });

  it("stores the parsed value, defaults included, and reads it back with who changed it", async () => {
    const admin = await getPrisma().user.create({
      data: { email: "admin@example.com", name: "Admin", role: "platform_admin" },
    });
    expect(await writeSetting(getPrisma(), limits, { maxGpus: 8 }, { updatedById: admin.id })).toEqual({
      maxGpus: 8,
      teams: [],
    });
    expect(await readSetting(getPrisma(), limits)).toEqual({ state: "valid", value: { maxGpus: 8, teams: [] } });
    const row = await getPrisma().setting.findUniqueOrThrow({ where: { key: "test.limits" } });
    expect(row).toMatchObject({ value: { maxGpus: 8, teams: [] }, updatedById: admin.id });

    // The portal's own write keeps the person who last changed it.
    await writeSetting(getPrisma(), limits, { maxGpus: 16, teams: ["vision"] });
    expect(await getPrisma().setting.findUniqueOrThrow({ where: { key: "test.limits" } })).toMatchObject({
      value: { maxGpus: 16, teams: ["vision"] },
      updatedById: admin.id,
    });
  });

  it("refuses to store a value its schema refuses, leaving the stored one", async () => {
    await expect(writeSetting(getPrisma(), limits, { maxGpus: 0 })).rejects.toThrow(/maxGpus/);
    expect(await readSetting(getPrisma(), limits)).toEqual({
      state: "valid",
      value: { maxGpus: 16, teams: ["vision"] },
    });
  });

  it("reports a hand-edited value the schema refuses as invalid, naming the field", async () => {
    await getPrisma().setting.update({ where: { key: "test.limits" }, data: { value: { maxGpus: "lots" } } });
    const stored = await readSetting(getPrisma(), limits);
    expect(stored.state).toBe("invalid");
    if (stored.state !== "invalid") return;
    expect(stored.problem).toMatch(/^maxGpus: /);
    expect(stored.issues.map((i) => i.path)).toEqual([["maxGpus"]]);
  });

  it("works inside a transaction, so a read-modify-write can hold a lock", async () => {
    await getPrisma().$transaction(async (tx) => {
      await writeSetting(tx, limits, { maxGpus: 4 });
      expect(await readSetting(tx, limits)).toEqual({ state: "valid", value: { maxGpus: 4, teams: [] } });
    });
  });
});
