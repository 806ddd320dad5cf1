import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { passwordSignIn } from "./password-sign-in.server";

describe("password sign-in", () => {
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ drop } = await createMigratedDatabase());
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now: new Date() });
  });
  afterAll(async () => {
    await disconnectPrisma();
    await drop();
  });

  it("signs a demo user in with the right password and audits it", async () => {
    const result = await passwordSignIn("Admin@Demo.local ", "demo-password", new Date());
    expect(result.ok).toBe(true);
    const events = await getPrisma().auditEvent.findMany({ where: { action: "auth.sign-in", outcome: "success", actorEmail: "admin@demo.local" } });
    expect(events).toHaveLength(1);
  });

  it("refuses a wrong password with a message that says what to do, and audits the failure", async () => {
    const result = await passwordSignIn("sre@demo.local", "wrong", new Date());
    expect(result).toEqual({ ok: false, reason: "invalid_credentials", message: "Wrong email or password. Check both and try again." });
    expect(await getPrisma().auditEvent.count({ where: { action: "auth.sign-in", outcome: "failure", targetId: "sre@demo.local" } })).toBe(1);
  });

  it("rate-limits an account after 5 failures in a minute, even with the right password, then lets it in a minute later", async () => {
    const t = new Date("2026-06-01T10:00:00Z");
    for (let i = 0; i < 5; i++) {
      expect((await passwordSignIn("finance@demo.local", `wrong-${i}`, new Date(t.getTime() + i * 1000))).ok).toBe(false);
    }
    const blocked = await passwordSignIn("finance@demo.local", "demo-password", new Date(t.getTime() + 10_000));
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    // Another account is not affected.
    expect((await passwordSignIn("engineer@demo.local", "demo-password", new Date(t.getTime() + 10_000))).ok).toBe(true);
    const later = await passwordSignIn("finance@demo.local", "demo-password", new Date(t.getTime() + 70_000));
    expect(later.ok).toBe(true);
  });

  it("seeding twice changes nothing", async () => {
    const before = await getPrisma().user.count();
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now: new Date() });
    expect(await getPrisma().user.count()).toBe(before);
  });
});
