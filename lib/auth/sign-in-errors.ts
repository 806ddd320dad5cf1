// What the sign-in page shows for `/signin?error=<code>`. Anyone can write that link, so the page shows only fixed
// messages for known codes (next-auth's and the portal's own) and a generic one otherwise: never the link's text.

/** The portal's own refusals, passed to the sign-in page as codes (auth-options.server.ts). */
export const portalSignInErrors = {
  AccountDisabled: "This account is disabled: ask a platform admin to re-enable it.",
  SignInUnavailable:
    "Sign-in failed because of a problem on the server: try again in a minute, and tell a platform admin if it keeps failing.",
  SingleSignOnNoGroup:
    "Your identity provider says you are in none of the groups the portal maps to a team or role, so you cannot sign in: ask your identity provider's administrator to add you to your team's group.",
  SingleSignOnRefused:
    "The portal could not sign you in with this single sign-on identity (its email address is missing or not verified, or the account is linked to another identity): ask a platform admin.",
} as const;
export type PortalSignInError = keyof typeof portalSignInErrors;

const nextAuthErrors: Record<string, string> = {
  CredentialsSignin: "Wrong email or password. Check both and try again.",
  SessionRequired: "Sign in to see this page.",
  AccessDenied: "You are not allowed to sign in to the portal: ask a platform admin.",
  Verification: "The sign-in link is no longer valid: request a new one.",
  OAuthSignin: "Single sign-on could not start: try again, and tell a platform admin if it keeps failing.",
  OAuthCallback: "Single sign-on did not complete: try again, and tell a platform admin if it keeps failing.",
  OAuthCreateAccount: "Single sign-on could not create your account: ask a platform admin.",
  OAuthAccountNotLinked:
    "This email address is already used by another sign-in method: sign in the way you did before.",
  Callback: "Sign-in did not complete: try again.",
  EmailSignin: "The sign-in email could not be sent: try again.",
  EmailCreateAccount: "Your account could not be created: ask a platform admin.",
  Configuration: "Sign-in is not configured correctly on the server: tell a platform admin.",
};

export const GENERIC_SIGN_IN_ERROR =
  "Sign-in did not complete: try again, and tell a platform admin if it keeps failing.";

/** The fixed message for an error code from the sign-in URL; undefined when there is no error. */
export function signInErrorMessage(code: string | string[] | undefined): string | undefined {
  if (code === undefined || code === "") return undefined;
  const value = (Array.isArray(code) ? code[0] : code) ?? "";
  if (Object.hasOwn(portalSignInErrors, value)) return portalSignInErrors[value as PortalSignInError];
  if (Object.hasOwn(nextAuthErrors, value)) return nextAuthErrors[value];
  return GENERIC_SIGN_IN_ERROR;
}
