import { describe, expect, it } from "vitest";
import { GENERIC_SIGN_IN_ERROR, portalSignInErrors, signInErrorMessage } from "./sign-in-errors";

describe("signInErrorMessage", () => {
  it("shows nothing without an error", () => {
    expect(signInErrorMessage(undefined)).toBeUndefined();
    expect(signInErrorMessage("")).toBeUndefined();
  });

  it("maps next-auth's codes and the portal's own to fixed messages", () => {
    expect(signInErrorMessage("CredentialsSignin")).toMatch(/^Wrong email or password/);
    expect(signInErrorMessage("OAuthCallback")).toMatch(/^Single sign-on did not complete/);
    expect(signInErrorMessage("AccountDisabled")).toBe(portalSignInErrors.AccountDisabled);
    expect(signInErrorMessage("SignInUnavailable")).toBe(portalSignInErrors.SignInUnavailable);
  });

  it.each([
    "Your account is locked: call +1 555 0100 and give your password to unlock it",
    "<b>Security alert</b> visit http://evil.test/reset",
    "constructor",
    "__proto__",
    "toString",
  ])("never shows the link's own text (%s): a generic message instead", (text) => {
    expect(signInErrorMessage(text)).toBe(GENERIC_SIGN_IN_ERROR);
  });

  it("reads only the first of repeated error parameters", () => {
    expect(signInErrorMessage(["AccountDisabled", "anything"])).toBe(portalSignInErrors.AccountDisabled);
  });
});
