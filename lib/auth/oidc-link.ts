// Which portal account an OIDC sign-in becomes. The subject claim is the identity provider's stable id for a
// person, so a match on it is always that person. An email address is only proof of identity when the provider
// says it verified it: otherwise anyone who can register that address at the provider (many let you type any
// address) would take over the portal account that has it, or create one first and keep the real owner out
// (the address is unique). So an unverified address neither links nor creates; only the subject signs in.

export interface OidcIdentity {
  subject: string;
  /** Lower-cased email claim; undefined when the provider sent none. */
  email: string | undefined;
  /** The `email_verified` claim as sent. Only the boolean true counts. */
  emailVerified: unknown;
}

export interface ExistingAccount {
  id: string;
  oidcSubject: string | null;
}

export type OidcLinkDecision =
  | { action: "sign-in"; userId: string }
  | { action: "link"; userId: string }
  | { action: "create"; email: string }
  | { action: "refuse"; message: string };

export function decideOidcLink(
  identity: OidcIdentity,
  bySubject: ExistingAccount | null,
  byEmail: ExistingAccount | null,
): OidcLinkDecision {
  if (bySubject) return { action: "sign-in", userId: bySubject.id };
  if (!identity.email)
    return {
      action: "refuse",
      message:
        "Your identity provider did not send an email address: ask its administrator to release the email claim to the portal.",
    };
  if (byEmail && byEmail.oidcSubject !== null) {
    return {
      action: "refuse",
      message: `The portal account ${identity.email} is already linked to another single sign-on identity: ask a platform admin.`,
    };
  }
  if (identity.emailVerified !== true) {
    const consequence = byEmail ? "link it to the existing account with that address" : "create an account with it";
    return {
      action: "refuse",
      message: `Your identity provider has not verified the email address ${identity.email}, so the portal will not ${consequence}: your identity provider must verify the email address (and send email_verified), or ask a platform admin.`,
    };
  }
  if (!byEmail) return { action: "create", email: identity.email };
  return { action: "link", userId: byEmail.id };
}
