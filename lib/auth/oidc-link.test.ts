import { describe, expect, it } from "vitest";
import { decideOidcLink, type ExistingAccount, type OidcIdentity } from "./oidc-link";

const identity = (emailVerified: unknown, email: string | undefined = "ada@example.com"): OidcIdentity => ({
  subject: "sub-1",
  email,
  emailVerified,
});
const passwordUser: ExistingAccount = { id: "u-ada", oidcSubject: null };

describe("decideOidcLink", () => {
  it("signs in the account that has the subject, whatever the email says", () => {
    expect(decideOidcLink(identity(false), { id: "u-sub", oidcSubject: "sub-1" }, passwordUser)).toEqual({
      action: "sign-in",
      userId: "u-sub",
    });
  });

  it("links an existing account by email only when the provider verified the email", () => {
    expect(decideOidcLink(identity(true), null, passwordUser)).toEqual({ action: "link", userId: "u-ada" });
  });

  it.each([[false], [undefined], ["true"], [1], [null]])(
    "refuses to link by email when email_verified is %j",
    (emailVerified) => {
      const decision = decideOidcLink(identity(emailVerified), null, passwordUser);
      expect(decision).toMatchObject({ action: "refuse" });
      expect(decision.action === "refuse" && decision.message).toContain(
        "has not verified the email address ada@example.com",
      );
    },
  );

  it("refuses an email that already belongs to another single sign-on identity, even verified", () => {
    expect(decideOidcLink(identity(true), null, { id: "u-ada", oidcSubject: "sub-other" })).toMatchObject({
      action: "refuse",
      message: expect.stringContaining("already linked"),
    });
  });

  it("creates a new account when nobody has the subject or the email and the provider verified the email", () => {
    expect(decideOidcLink(identity(true), null, null)).toEqual({ action: "create", email: "ada@example.com" });
  });

  it.each([[false], [undefined], ["true"], [1], [null]])(
    "refuses to create an account when email_verified is %j, so nobody squats the address",
    (emailVerified) => {
      const decision = decideOidcLink(identity(emailVerified), null, null);
      expect(decision).toMatchObject({ action: "refuse" });
      expect(decision.action === "refuse" && decision.message).toContain(
        "will not create an account with it: your identity provider must verify the email address",
      );
    },
  );

  it("refuses an identity without an email", () => {
    expect(decideOidcLink({ subject: "sub-1", email: undefined, emailVerified: true }, null, null)).toMatchObject({
      action: "refuse",
      message: expect.stringContaining("did not send an email address"),
    });
  });
});
