// Drives next-auth's own request handler (the one app/api/auth/[...nextauth]/route.ts and getServerSession call) the
// way a browser would: it keeps the cookies next-auth sets and sends them back, so a test can save a session
// cookie, sign out and try the saved cookie again.
import { createRequire } from "node:module";
import path from "node:path";
import type { AuthOptions } from "next-auth";
import { authOptions } from "@/lib/auth/auth-options.server";

// next-auth 4 does not export its core, which is the handler its route handler and getServerSession wrap (after
// reading next/headers, which needs a running Next.js request). Load it from the installed package.
const requireFromHere = createRequire(__filename);
const { AuthHandler } = requireFromHere(path.join(path.dirname(requireFromHere.resolve("next-auth")), "core")) as {
  AuthHandler: (params: { options: AuthOptions; req: RequestInternal }) => Promise<ResponseInternal>;
};

/** The parts of next-auth's internal request and response (next-auth/core/index.d.ts) this client uses. */
interface RequestInternal {
  origin: string;
  method: "GET" | "POST";
  action: "csrf" | "callback" | "session" | "signout";
  providerId?: string;
  cookies: Record<string, string>;
  headers: Record<string, string>;
  body?: Record<string, string>;
}
interface ResponseInternal {
  status?: number;
  body?: unknown;
  redirect?: string;
  cookies?: { name: string; value: string; options?: { maxAge?: number } }[];
}

export const SESSION_COOKIE = "next-auth.session-token";

export class NextAuthClient {
  cookies: Record<string, string> = {};

  constructor(private readonly headers: Record<string, string> = {}) {}

  async call(req: Omit<RequestInternal, "cookies" | "headers" | "origin">) {
    const response = await AuthHandler({
      options: authOptions(),
      req: { ...req, origin: "http://localhost:3000", cookies: { ...this.cookies }, headers: { ...this.headers } },
    });
    for (const cookie of response.cookies ?? []) {
      if (cookie.options?.maxAge === 0 || cookie.value === "") delete this.cookies[cookie.name];
      else this.cookies[cookie.name] = cookie.value;
    }
    return response;
  }

  private async csrfToken(): Promise<string> {
    const response = await this.call({ action: "csrf", method: "GET" });
    return (response.body as { csrfToken: string }).csrfToken;
  }

  /** Signs in with the demo password form; the error is what the sign-in page would show. */
  async signIn(email: string, password: string): Promise<{ ok: true } | { ok: false; error: string }> {
    const csrfToken = await this.csrfToken();
    const response = await this.call({
      action: "callback",
      providerId: "credentials",
      method: "POST",
      body: { email, password, csrfToken, json: "true" },
    });
    const error = response.redirect
      ? new URL(response.redirect, "http://localhost:3000").searchParams.get("error")
      : null;
    return error === null && this.cookies[SESSION_COOKIE]
      ? { ok: true }
      : { ok: false, error: error ?? `no session (status ${response.status})` };
  }

  async session(): Promise<Record<string, unknown> | null> {
    const response = await this.call({ action: "session", method: "GET" });
    const body = response.body as Record<string, unknown> | undefined;
    return body && Object.keys(body).length > 0 ? body : null;
  }

  async signOut(): Promise<void> {
    const csrfToken = await this.csrfToken();
    await this.call({ action: "signout", method: "POST", body: { csrfToken } });
  }
}
