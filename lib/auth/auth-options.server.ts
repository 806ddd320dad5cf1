import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv } from "@/lib/env/get-env";
import { getPrisma } from "@/lib/db/prisma.server";
import type { Role as DbRole } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { logger } from "@/lib/observability/logger";
import { passwordSignIn } from "./password-sign-in.server";
import { clientAddressFromHeaders } from "./client-address";
import { safeCallbackPath } from "./callback-path";
import { policyAgent } from "@/lib/net/policy-agent.server";
import { ssoSignIn } from "./sso-sign-in.server";
import { readUserinfo } from "./oidc-userinfo.server";
import { decideSession, SESSION_LIFETIME_MS } from "./session-lifetime";
import type { Role } from "./permissions";
import { portalSignInErrors, type PortalSignInError } from "./sign-in-errors";

/** A session token that no longer stands (session-lifetime.ts), thrown so that next-auth answers "no session". */
class SessionEndedError extends Error {
  constructor(readonly reason: string) {
    super(`session ended: ${reason}`);
    this.name = "SessionEndedError";
  }
}

/** Shown instead of whatever went wrong inside: an anonymous visitor never reads database or library errors. */
export const SIGN_IN_UNAVAILABLE = portalSignInErrors.SignInUnavailable;

/** The sign-in page with a code it maps to a fixed message: the page never shows text taken from its URL. */
function signInErrorPage(code: PortalSignInError): string {
  return `/signin?error=${code}`;
}

/**
 * Sessions are signed JWTs (stateless web replicas); the user's role and teams are re-read on every request, and
 * session-lifetime.ts decides whether the token still stands (absolute lifetime, sign-out, disabled account).
 */
export function authOptions(o: { urlAllowList?: readonly string[] } = {}): NextAuthOptions {
  const config = getEnv();
  const providers: NextAuthOptions["providers"] = [];
  if (config.PORTAL_DEMO_LOGIN) {
    providers.push(
      CredentialsProvider({
        id: "credentials",
        name: "Demo account",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          let result: Awaited<ReturnType<typeof passwordSignIn>>;
          try {
            result = await passwordSignIn({
              email: credentials?.email,
              password: credentials?.password,
              clientAddress: clientAddressFromHeaders(request?.headers, config.PORTAL_TRUSTED_PROXIES),
              now: new Date(),
            });
          } catch (error) {
            logger.error({ err: error }, "password sign-in failed unexpectedly");
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
          if (!result.ok) throw new Error(result.message);
          return { id: result.userId };
        },
      }),
    );
  }
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${config.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: config.OIDC_SCOPES } },
      idToken: true,
      checks: ["pkce", "state"],
      // openid-client makes its own requests (discovery, token, keys): each connection passes the URL policy.
      httpOptions: {
        agent: policyAgent(
          new URL(config.OIDC_ISSUER).protocol === "https:" ? "https:" : "http:",
          { allow: o.urlAllowList ?? [] },
          "OIDC_ISSUER",
        ),
        timeout: 10_000,
      },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email, name: profile.name };
      },
    });
  }
  return {
    secret: config.NEXTAUTH_SECRET,
    // next-auth re-issues the token on each visit (a rolling expiry); the absolute 8 h is enforced by signedInAt.
    session: { strategy: "jwt", maxAge: SESSION_LIFETIME_MS / 1000 },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      error(code, metadata) {
        const err = (metadata as { error?: unknown } | undefined)?.error ?? metadata;
        if (err instanceof SessionEndedError)
          return logger.debug({ reason: err.reason }, "session token no longer stands");
        logger.error(
          { code, err: err instanceof Error ? { message: err.message, stack: err.stack } : err },
          "next-auth error",
        );
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        try {
          const claims = (profile ?? {}) as Record<string, unknown>;
          const accessToken = account.access_token;
          const issuer = config.OIDC_ISSUER;
          const result = await ssoSignIn(
            {
              subject: account.providerAccountId,
              email: user.email ?? undefined,
              name: user.name ?? undefined,
              claims,
              userinfo:
                accessToken && issuer
                  ? () =>
                      readUserinfo({
                        issuer,
                        accessToken,
                        subject: account.providerAccountId,
                        policy: { allow: o.urlAllowList ?? [] },
                      })
                  : undefined,
            },
            config,
            new Date(),
          );
          if (!result.ok)
            return signInErrorPage(
              result.reason === "disabled"
                ? "AccountDisabled"
                : result.reason === "no-access"
                  ? "SingleSignOnNoGroup"
                  : "SingleSignOnRefused",
            );
          user.id = result.userId;
          return true;
        } catch (error) {
          logger.error({ err: error }, "single sign-on failed unexpectedly");
          return signInErrorPage("SignInUnavailable");
        }
      },
      async jwt({ token, user }) {
        // Only on sign-in: the sign-in time and session version are fixed for the token's whole life.
        if (user) {
          const account = await getPrisma().user.findUnique({
            where: { id: user.id },
            select: { sessionVersion: true },
          });
          token.sub = user.id;
          token.signedInAt = Date.now();
          token.sessionVersion = account?.sessionVersion ?? -1;
          return token;
        }
        // Every later read (GET /api/auth/session, getServerSession): a token that no longer stands (signed out,
        // disabled, expired) is answered as no session. next-auth 4 answers a throw here with `{}` and a cleared
        // cookie instead of re-issuing the token; a null return would reach the session callback and the encoder.
        const person =
          typeof token.sub === "string"
            ? await getPrisma().user.findUnique({
                where: { id: token.sub },
                select: { disabled: true, sessionVersion: true },
              })
            : null;
        const claims = { userId: token.sub, signedInAt: token.signedInAt, sessionVersion: token.sessionVersion };
        const decision = decideSession(claims, person, new Date());
        if (!decision.valid) throw new SessionEndedError(decision.reason);
        return token;
      },
      async session({ session, token }) {
        return {
          ...session,
          userId: token.sub,
          signedInAt: token.signedInAt,
          sessionVersion: token.sessionVersion,
        } as typeof session;
      },
      async redirect({ url, baseUrl }) {
        return `${new URL(baseUrl).origin}${safeCallbackPath(url, baseUrl)}`;
      },
    },
    events: {
      // Signing out ends every session of the person: tokens carry no per-device record to revoke one alone. Only a
      // token that still stands may do it, so a revoked or expired token cannot keep signing its owner out.
      async signOut({ token }) {
        if (typeof token?.sub !== "string") return;
        const db = getPrisma();
        const person = await db.user.findUnique({
          where: { id: token.sub },
          select: { email: true, disabled: true, sessionVersion: true },
        });
        const claims = { userId: token.sub, signedInAt: token.signedInAt, sessionVersion: token.sessionVersion };
        if (!person || !decideSession(claims, person, new Date()).valid) return;
        const ended = await db.user.updateMany({
          where: { id: token.sub, sessionVersion: person.sessionVersion },
          data: { sessionVersion: { increment: 1 } },
        });
        if (ended.count === 0) return;
        await recordAudit(db, {
          actor: { id: token.sub, email: person.email },
          action: "auth.sign-out",
          targetType: "user",
          targetId: token.sub,
          outcome: "success",
        });
      },
    },
  };
}

export const roleFromDb: Record<DbRole, Role> = {
  ml_engineer: "ml-engineer",
  finance: "finance",
  sre: "sre",
  platform_admin: "platform-admin",
};
