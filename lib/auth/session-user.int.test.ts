import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode, decode } from "next-auth/jwt";
import { createMigratedDatabase } from "@/test-support/test-database";
import { NextAuthClient, SESSION_COOKIE } from "@/test-support/next-auth-client";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { userForSession } from "./session-user.server";
import { SESSION_LIFETIME_MS } from "./session-lifetime";

const secret = "a-test-secret-that-is-at-least-32-characters-long";

describe("sessions end on sign-out, after 8 hours from sign-in, and when the account is disabled", () => {
  let drop: () => Promise<void>;
  const saved = { NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET, PORTAL_DEMO_LOGIN: process.env.PORTAL_DEMO_LOGIN };
  beforeAll(async () => {
    process.env.NEXTAUTH_SECRET = secret;
    process.env.PORTAL_DEMO_LOGIN = "true";
    ({ drop } = await createMigratedDatabase());
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now: new Date() });
  });
  afterAll(async () => {
    Object.assign(process.env, saved);
    await disconnectPrisma();
    await drop();
  });

  /** What getCurrentUser does with the cookie: next-auth's session endpoint, then the portal's own check. */
  async function currentUser(client: NextAuthClient, now = new Date()) {
    return userForSession(await client.session(), now);
  }

  it("a saved session cookie stops working after sign-out, on every device of the person", async () => {
    const laptop = new NextAuthClient();
    const phone = new NextAuthClient();
    expect(await laptop.signIn("sre@demo.local", "demo-password")).toEqual({ ok: true });
    expect(await phone.signIn("sre@demo.local", "demo-password")).toEqual({ ok: true });
    const savedCookie = laptop.cookies[SESSION_COOKIE];
    expect((await currentUser(laptop))?.email).toBe("sre@demo.local");

    await laptop.signOut();
    expect(laptop.cookies[SESSION_COOKIE]).toBeUndefined();
    const replay = new NextAuthClient();
    replay.cookies[SESSION_COOKIE] = savedCookie!;
    expect(await currentUser(replay)).toBeNull();
    expect(await currentUser(phone)).toBeNull();
    expect(
      await getPrisma().auditEvent.count({ where: { action: "auth.sign-out", actorEmail: "sre@demo.local" } }),
    ).toBe(1);

    // Signing in again works, and a replayed old cookie signing out does not end the new session.
    const again = new NextAuthClient();
    expect(await again.signIn("sre@demo.local", "demo-password")).toEqual({ ok: true });
    await replay.signOut();
    expect((await currentUser(again))?.email).toBe("sre@demo.local");
  });

  it("refuses a session 8 hours after sign-in even though next-auth keeps refreshing the cookie", async () => {
    const client = new NextAuthClient();
    expect(await client.signIn("finance@demo.local", "demo-password")).toEqual({ ok: true });
    const claims = await decode({ token: client.cookies[SESSION_COOKIE], secret });
    expect(typeof claims?.signedInAt).toBe("number");
    // The cookie as a visit 7 h 59 min into the session re-issued it: a fresh expiry, the original sign-in time.
    const signedInAt = Date.now() - SESSION_LIFETIME_MS + 60_000;
    client.cookies[SESSION_COOKIE] = await encode({
      token: { ...claims, signedInAt },
      secret,
      maxAge: SESSION_LIFETIME_MS / 1000,
    });
    expect((await currentUser(client))?.email).toBe("finance@demo.local");
    const refreshed = await decode({ token: client.cookies[SESSION_COOKIE], secret });
    expect(refreshed?.signedInAt).toBe(signedInAt);
    expect(await currentUser(client, new Date(Date.now() + 61_000))).toBeNull();
  });

  it("a token past its 8 hours cannot sign the person out of their current session", async () => {
    const current = new NextAuthClient();
    expect(await current.signIn("admin@demo.local", "demo-password")).toEqual({ ok: true });
    const claims = await decode({ token: current.cookies[SESSION_COOKIE], secret });
    const old = new NextAuthClient();
    old.cookies[SESSION_COOKIE] = await encode({
      token: { ...claims, signedInAt: Date.now() - SESSION_LIFETIME_MS - 1 },
      secret,
    });
    await old.signOut();
    expect((await currentUser(current))?.email).toBe("admin@demo.local");
  });

  it("refuses a token that carries no sign-in time (it could be refreshed forever)", async () => {
    const client = new NextAuthClient();
    expect(await client.signIn("engineer@demo.local", "demo-password")).toEqual({ ok: true });
    const { signedInAt: _, ...claims } = (await decode({ token: client.cookies[SESSION_COOKIE], secret }))!;
    client.cookies[SESSION_COOKIE] = await encode({ token: claims, secret });
    expect(await currentUser(client)).toBeNull();
  });

  it("GET /api/auth/session answers no session for a signed-out cookie and clears it instead of re-issuing it", async () => {
    const client = new NextAuthClient();
    expect(await client.signIn("sre@demo.local", "demo-password")).toEqual({ ok: true });
    const saved = client.cookies[SESSION_COOKIE];
    expect(await client.session()).toMatchObject({ userId: expect.any(String) });
    await client.signOut();
    const replay = new NextAuthClient();
    replay.cookies[SESSION_COOKIE] = saved!;
    const response = await replay.call({ action: "session", method: "GET" });
    expect(response.body).toEqual({});
    expect(replay.cookies[SESSION_COOKIE]).toBeUndefined();
  });

  it("ends the session of a person who is disabled", async () => {
    const client = new NextAuthClient();
    expect(await client.signIn("vision-engineer@demo.local", "demo-password")).toEqual({ ok: true });
    expect(await currentUser(client)).not.toBeNull();
    await getPrisma().user.update({ where: { email: "vision-engineer@demo.local" }, data: { disabled: true } });
    expect(await currentUser(client)).toBeNull();
    expect(await client.session()).toBeNull();
  });
});
