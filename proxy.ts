import { NextResponse, type NextRequest } from "next/server";

// Passes the path to server components (for sign-in redirects and audit events) and a request id to handlers.
// Authorization is NOT decided here: every page and handler checks for itself.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-portal-path", request.nextUrl.pathname + request.nextUrl.search);
  if (!headers.get("x-request-id")) headers.set("x-request-id", crypto.randomUUID());
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
