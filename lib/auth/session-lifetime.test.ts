import { describe, expect, it } from "vitest";
import { decideSession, SESSION_LIFETIME_MS, type SessionClaims } from "./session-lifetime";

const now = new Date("2026-06-01T18:00:00Z");
const account = { disabled: false, sessionVersion: 3 };
const claims = (overrides: SessionClaims = {}): SessionClaims => ({
  userId: "u1",
  signedInAt: now.getTime() - 60_000,
  sessionVersion: 3,
  ...overrides,
});

describe("decideSession", () => {
  it.each<[string, SessionClaims, typeof account | null, string | null]>([
    ["a fresh session", claims(), account, null],
    ["7 h 59 min after sign-in", claims({ signedInAt: now.getTime() - SESSION_LIFETIME_MS + 60_000 }), account, null],
    ["8 h after sign-in", claims({ signedInAt: now.getTime() - SESSION_LIFETIME_MS }), account, "expired"],
    ["a week after sign-in", claims({ signedInAt: now.getTime() - 7 * 86_400_000 }), account, "expired"],
    ["no sign-in time", claims({ signedInAt: undefined }), account, "no_sign_in_time"],
    ["a sign-in time as text", claims({ signedInAt: String(now.getTime()) }), account, "no_sign_in_time"],
    ["a sign-in time in the future", claims({ signedInAt: now.getTime() + 3_600_000 }), account, "no_sign_in_time"],
    ["an older session version (signed out)", claims({ sessionVersion: 2 }), account, "signed_out"],
    ["no session version", claims({ sessionVersion: undefined }), account, "signed_out"],
    ["a disabled account", claims(), { ...account, disabled: true }, "disabled"],
    ["a deleted account", claims(), null, "no_user"],
    ["no user id", claims({ userId: undefined }), account, "no_user"],
  ])("%s", (_, given, acct, reason) => {
    expect(decideSession(given, acct, now)).toEqual(reason === null ? { valid: true } : { valid: false, reason });
  });
});
