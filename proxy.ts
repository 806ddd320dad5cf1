import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/http/security-headers";
import { edgeRefusal, isApiPath } from "@/lib/http/edge-guard";
import { errorBody } from "@/lib/http/errors";
import { getSetting, rawEnv } from "@/lib/env/get-env";
import { databaseReachable } from "@/lib/db/database-reachable.server";
import { databaseUnavailablePage } from "@/lib/http/database-unavailable-page";

// Passes the path to server components (for sign-in redirects and audit events) and a request id to handlers, and
// puts the Content-Security-Policy on every page and API response. The CSP nonce goes on the request too: Next.js reads
// it from the request's Content-Security-Policy header and puts it on its own scripts (pages render dynamically,
// see app/layout.tsx); `x-nonce` hands it to any server component that adds a script.
// It also refuses, for every route, what lib/http/edge-guard.ts names: cross-site state changes to the API (next-auth's
// routes included) and URL text no page can use.
// A page asked for while the database cannot be reached gets a 503 page saying so (the API answers its own 503 from
// route()): once a page renders, its status can no longer be chosen.
// Authorization is NOT decided here: every page and handler checks for itself.
export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = contentSecurityPolicy({ nonce, development: getSetting("NODE_ENV") === "development" });
  const refusal = edgeRefusal({
    method: request.method,
    url: new URL(request.url),
    headers: request.headers,
    nextAuthUrl: getSetting("NEXTAUTH_URL"),
  });
  if (refusal) {
    const response = isApiPath(request.nextUrl.pathname)
      ? NextResponse.json(errorBody(refusal.code, refusal.message, refusal.fields), { status: refusal.status })
      : new NextResponse(`${refusal.message}\n`, {
          status: refusal.status,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
    response.headers.set("Content-Security-Policy", policy);
    return response;
  }
  const databaseUrl = rawEnv().DATABASE_URL;
  if (databaseUrl && !isApiPath(request.nextUrl.pathname) && !(await databaseReachable(databaseUrl))) {
    const response = databaseUnavailablePage();
    response.headers.set("Content-Security-Policy", policy);
    return response;
  }
  const headers = new Headers(request.headers);
  headers.set("x-portal-path", request.nextUrl.pathname + request.nextUrl.search);
  if (!headers.get("x-request-id")) headers.set("x-request-id", crypto.randomUUID());
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  // The other headers of the policy come from next.config.js, which also covers the static files this skips.
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
