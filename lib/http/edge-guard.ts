// Refusals decided once at the edge (proxy.ts), before any page, handler or next-auth route runs.
// - Cross-site state changes to /api/**: route() checks its own handlers, but next-auth's routes (/api/auth/*:
//   callback/credentials, signout) are not route()'s, and a page on another port of the same host could sign the
//   visitor in as another account or out everywhere. So the same rule as route()'s covers the whole API here.
// - URL text no page or handler can use: NUL and lone surrogates reach PostgreSQL as an error, and a malformed
//   percent-encoding cannot be decoded at all. Refused naming the parameter, for pages and API alike.
import { crossSiteRefusal, ownOrigins } from "./cross-site";
import type { FieldError } from "@/lib/errors/domain-error";
import { unstorableText } from "./hostile-input";

export interface EdgeRefusal {
  status: 403 | 422;
  code: "cross_site_refused" | "validation_failed";
  message: string;
  fields?: FieldError[];
}

export interface EdgeRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** NEXTAUTH_URL, the portal's public origin when it sits behind a proxy. */
  nextAuthUrl: string | undefined;
}

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/** Why the edge refuses the request, or null to let it through. */
export function edgeRefusal({ method, url, headers, nextAuthUrl }: EdgeRequest): EdgeRefusal | null {
  if (isApiPath(url.pathname)) {
    const refusal = crossSiteRefusal({
      method,
      fetchSite: headers.get("sec-fetch-site"),
      origin: headers.get("origin"),
      ownOrigins: ownOrigins(headers, url, nextAuthUrl),
    });
    if (refusal) return { status: 403, code: "cross_site_refused", message: refusal };
  }
  const problem = unusableUrlText(url);
  if (problem)
    return { status: 422, code: "validation_failed", message: `Invalid URL: ${problem.message}`, fields: [problem] };
  return null;
}

/** The first path segment or query parameter (name or value) that is malformed, or holds NUL or a lone surrogate. */
export function unusableUrlText(url: URL): FieldError | null {
  for (const segment of url.pathname.split("/")) {
    const decoded = strictDecode(segment);
    if (decoded === null)
      return {
        path: "path",
        message: `path segment "${preview(segment)}" is not valid percent-encoded UTF-8: fix the link`,
      };
    const reason = unstorableText(decoded);
    if (reason) return { path: "path", message: `a path segment ${reason}` };
  }
  const search = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const pair of search.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const [rawName, rawValue] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    const name = strictDecode(rawName);
    if (name === null)
      return {
        path: preview(rawName),
        message: `query parameter name "${preview(rawName)}" is not valid percent-encoded UTF-8: fix the link`,
      };
    const nameProblem = unstorableText(name);
    if (nameProblem) return { path: "query", message: `a query parameter name ${nameProblem}` };
    const value = strictDecode(rawValue);
    if (value === null)
      return { path: name, message: `query parameter ${name} is not valid percent-encoded UTF-8: fix the link` };
    const valueProblem = unstorableText(value);
    if (valueProblem) return { path: name, message: `query parameter ${name} ${valueProblem}` };
  }
  return null;
}

/** decodeURIComponent, with "+" as a space as in forms, or null when the text is not valid percent-encoded UTF-8. */
function strictDecode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
