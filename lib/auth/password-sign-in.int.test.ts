import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { createMigratedDatabase } from "@/test-support/test-database";
import { NextAuthClient } from "@/test-support/next-auth-client";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { passwordSignIn } from "./password-sign-in.server";
import { UNKNOWN_CLIENT_ADDRESS } from "./client-address";
import { SIGN_IN_UNAVAILABLE } from "./auth-options.server";

const attempt = (email: unknown, password: unknown, now: Date, clientAddress = UNKNOWN_CLIENT_ADDRESS) =>
  passwordSignIn({ email, password, now, clientAddress });
/** Attempts whose password was compared (refused ones are recorded too, with checked = false). */
const checkedAttempts = (where: { email?: string; clientAddress?: string; success?: boolean }) =>
  getPrisma().loginAttempt.count({ where: { ...where, checked: true } });

describe("password sign-in", () => {
  let drop: () => Promise<void>;
  const saved = {
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
    PORTAL_DEMO_LOGIN: process.env.PORTAL_DEMO_LOGIN,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL,
  };
  beforeAll(async () => {
    Object.assign(process.env, {
      NEXTAUTH_SECRET: "a-test-secret-that-is-at-least-32-characters-long",
      PORTAL_DEMO_LOGIN: "true",
      NEXTAUTH_URL: "http://localhost:3000",
    });
    ({ drop } = await createMigratedDatabase());
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now: new Date() });
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await disconnectPrisma();
    await drop();
  });

  it("signs a demo user in with the right password and audits it", async () => {
    const result = await attempt("Admin@Demo.local ", "demo-password", new Date());
    expect(result.ok).toBe(true);
    const events = await getPrisma().auditEvent.findMany({
      where: { action: "auth.sign-in", outcome: "success", actorEmail: "admin@demo.local" },
    });
    expect(events).toHaveLength(1);
  });

  it("refuses a wrong password with a message that says what to do, and audits the failure", async () => {
    const result = await attempt("sre@demo.local", "wrong", new Date());
    expect(result).toEqual({
      ok: false,
      reason: "invalid_credentials",
      message: "Wrong email or password. Check both and try again.",
    });
    expect(
      await getPrisma().auditEvent.count({
        where: { action: "auth.sign-in", outcome: "failure", targetId: "sre@demo.local" },
      }),
    ).toBe(1);
  });

  it("rate-limits an account after 5 failures in a minute, even with the right password, then lets it in a minute later", async () => {
    const t = new Date("2026-06-01T10:00:00Z");
    for (let i = 0; i < 5; i++) {
      expect((await attempt("finance@demo.local", `wrong-${i}`, new Date(t.getTime() + i * 1000))).ok).toBe(false);
    }
    const blocked = await attempt("finance@demo.local", "demo-password", new Date(t.getTime() + 10_000));
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    // Another account is not affected.
    expect((await attempt("engineer@demo.local", "demo-password", new Date(t.getTime() + 10_000))).ok).toBe(true);
    const later = await attempt("finance@demo.local", "demo-password", new Date(t.getTime() + 70_000));
    expect(later.ok).toBe(true);
  });

  it("checks at most 5 of 40 parallel wrong passwords from one address; the person still gets in from their usual address, and from a new one a minute later", async () => {
    const email = "vision-engineer@demo.local";
    const t = new Date("2026-06-02T10:00:00Z");
    // The person signed in from their usual address last week.
    expect((await attempt(email, "demo-password", new Date(t.getTime() - 7 * 86_400_000), "10.1.0.7")).ok).toBe(true);

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(email, `guess-${i}`, t, "203.0.113.66")),
    );
    expect(await checkedAttempts({ email, clientAddress: "203.0.113.66" })).toBe(5);
    expect(results.filter((r) => !r.ok && r.reason === "invalid_credentials")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(35);

    expect(await attempt(email, "demo-password", new Date(t.getTime() + 5_000), "10.1.0.7")).toEqual({
      ok: true,
      userId: expect.any(String),
    });
    expect(await attempt(email, "demo-password", new Date(t.getTime() + 5_000), "198.51.100.9")).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
    expect(await attempt(email, "demo-password", new Date(t.getTime() + 61_000), "198.51.100.9")).toEqual({
      ok: true,
      userId: expect.any(String),
    });
  });

  it("checks at most 5 of 40 parallel wrong passwords for one account when every request claims another address", async () => {
    const email = "admin@demo.local";
    const t = new Date("2026-06-03T10:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(email, `guess-${i}`, t, `203.0.113.${i + 1}`)),
    );
    expect(await checkedAttempts({ email, success: false })).toBe(5);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(35);
  });

  it("checks at most 20 wrong passwords a minute from one address over many accounts", async () => {
    const t = new Date("2026-06-04T10:00:00Z");
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(`nobody-${i}@demo.local`, "guess", t, "192.0.2.44")),
    );
    expect(await checkedAttempts({ clientAddress: "192.0.2.44" })).toBe(20);
  });

  it("tells only the right password that an account is disabled", async () => {
    await getPrisma().user.create({
      data: {
        email: "gone@demo.local",
        name: "Gone",
        role: "ml_engineer",
        passwordHash: await bcrypt.hash("right-password", 4),
        disabled: true,
      },
    });
    expect(await attempt("gone@demo.local", "wrong-password", new Date())).toEqual({
      ok: false,
      reason: "invalid_credentials",
      message: "Wrong email or password. Check both and try again.",
    });
    expect(await attempt("gone@demo.local", "right-password", new Date())).toMatchObject({
      ok: false,
      reason: "disabled",
      message: expect.stringContaining("disabled"),
    });
  });

  it.each([
    ["a NUL byte in the email", "a\u0000b@demo.local", "demo-password", "email:"],
    ["a bare NUL email", "a\u0000b", "demo-password", "email:"],
    ["a lone surrogate in the email", "a\uD800b@demo.local", "demo-password", "email:"],
    ["an email of 300 characters", `${"a".repeat(290)}@demo.local`, "demo-password", "email:"],
    ["a number for the email", 42, "demo-password", "email:"],
    ["a NUL byte in the password", "sre@demo.local", "demo\u0000password", "password:"],
    ["a lone surrogate in the password", "sre@demo.local", "pass\uDC00word", "password:"],
    ["a password of 2000 characters", "sre@demo.local", "p".repeat(2000), "password:"],
    ["no password", "sre@demo.local", "", "password:"],
  ])("refuses %s with a message naming the field, before touching the database", async (_, email, password, field) => {
    const before = await getPrisma().loginAttempt.count();
    const result = await attempt(email, password, new Date());
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid_input",
      message: expect.stringMatching(new RegExp(`^${field}`)),
    });
    expect(await getPrisma().loginAttempt.count()).toBe(before);
  });

  it("through next-auth: an email with a NUL byte gets the field's message, and a database failure a generic one", async () => {
    const visitor = new NextAuthClient({ "x-forwarded-for": "198.51.100.23" });
    const nul = await visitor.signIn("a\u0000b", "x");
    expect(nul).toEqual({ ok: false, error: expect.stringMatching(/^email: enter the address you sign in with/) });

    const databaseUrl = process.env.DATABASE_URL!;
    await disconnectPrisma();
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/unreachable";
    try {
      const down = await visitor.signIn("sre@demo.local", "demo-password");
      expect(down).toEqual({ ok: false, error: SIGN_IN_UNAVAILABLE });
    } finally {
      await disconnectPrisma();
      process.env.DATABASE_URL = databaseUrl;
    }
  });

  it("through next-auth: records the X-Forwarded-For entry PORTAL_TRUSTED_PROXIES from the right, never a forged prefix", async () => {
    const successesFrom = (clientAddress: string) =>
      getPrisma().loginAttempt.count({ where: { email: "engineer@demo.local", clientAddress, success: true } });
    const previous = process.env.PORTAL_TRUSTED_PROXIES;
    try {
      // No proxy in front: the client wrote the whole header, so none of it is recorded.
      process.env.PORTAL_TRUSTED_PROXIES = "0";
      const unknownBefore = await successesFrom(UNKNOWN_CLIENT_ADDRESS);
      const direct = new NextAuthClient({ "x-forwarded-for": "198.51.100.23" });
      expect(await direct.signIn("engineer@demo.local", "demo-password")).toEqual({ ok: true });
      expect(await successesFrom("198.51.100.23")).toBe(0);
      expect(await successesFrom(UNKNOWN_CLIENT_ADDRESS)).toBe(unknownBefore + 1);

      // The client claims the victim's address; the one proxy in front appends the address it saw.
      process.env.PORTAL_TRUSTED_PROXIES = "1";
      const forged = new NextAuthClient({ "x-forwarded-for": "198.51.100.24, 198.51.100.25" });
      expect(await forged.signIn("engineer@demo.local", "demo-password")).toEqual({ ok: true });
      expect(await successesFrom("198.51.100.25")).toBe(1);
      expect(await successesFrom("198.51.100.24")).toBe(0);

      process.env.PORTAL_TRUSTED_PROXIES = "2";
      const behindTwo = new NextAuthClient({ "x-forwarded-for": "198.51.100.24, 198.51.100.26, 10.0.0.1" });
      expect(await behindTwo.signIn("engineer@demo.local", "demo-password")).toEqual({ ok: true });
      expect(await successesFrom("198.51.100.26")).toBe(1);
      expect(await successesFrom("198.51.100.24")).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.PORTAL_TRUSTED_PROXIES;
      else process.env.PORTAL_TRUSTED_PROXIES = previous;
    }
  });

  it("seeding twice changes nothing", async () => {
    const before = await getPrisma().user.count();
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now: new Date() });
    expect(await getPrisma().user.count()).toBe(before);
  });
});
