import "server-only";
// The OpenID Provider's userinfo endpoint, read at sign-in when the ID token lacks the groups claim: many providers
// put groups only there (Okta with a groups scope, Keycloak with "add to ID token" off, providers that keep ID tokens
// small). The endpoint comes from the provider's discovery document; both requests pass the URL policy like the
// sign-in's own. Its claims count only for the person the ID token names (OpenID Connect Core 5.3.2: sub must match).
import { z } from "zod";
import { policyFetch, type UrlPolicy } from "@/lib/net/policy-fetch.server";

const discovery = z.object({ userinfo_endpoint: z.string().url() });
const userinfoClaims = z.record(z.string(), z.unknown());

export class UserinfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserinfoError";
  }
}

export async function readUserinfo(o: {
  issuer: string;
  accessToken: string;
  subject: string;
  policy: UrlPolicy;
}): Promise<Record<string, unknown>> {
  const wellKnown = `${o.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const meta = await policyFetch(
    wellKnown,
    { what: "OIDC_ISSUER", maxBodyBytes: 256 * 1024, redirect: "manual" },
    o.policy,
  );
  if (meta.status !== 200) throw new UserinfoError(`${wellKnown} answered ${meta.status}`);
  const parsed = discovery.safeParse(JSON.parse(meta.text));
  if (!parsed.success) throw new UserinfoError(`${wellKnown} names no userinfo_endpoint`);
  const res = await policyFetch(
    parsed.data.userinfo_endpoint,
    {
      what: "OIDC userinfo_endpoint",
      headers: { authorization: `Bearer ${o.accessToken}`, accept: "application/json" },
      maxBodyBytes: 256 * 1024,
      redirect: "manual",
    },
    o.policy,
  );
  if (res.status !== 200) throw new UserinfoError(`the userinfo endpoint answered ${res.status}`);
  // A signed (JWT) userinfo answer is not read: the portal asks for plain JSON.
  const claims = userinfoClaims.safeParse(JSON.parse(res.text));
  if (!claims.success) throw new UserinfoError("the userinfo endpoint did not answer a JSON object");
  if (claims.data.sub !== o.subject)
    throw new UserinfoError("the userinfo endpoint answered for another subject than the ID token's");
  return claims.data;
}
