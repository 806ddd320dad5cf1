// Cross-site request refusal for state-changing requests. A page on another site (another port of the same host is
// "same-site", and SameSite=Lax cookies go with it) can post a form with the signed-in person's cookie; browsers
// say where a request comes from in Sec-Fetch-Site and Origin, and a form can only send text/plain,
// x-www-form-urlencoded or multipart bodies. So a state change needs a same-origin (or user-typed) browser request
// and a JSON body. Callers without these headers (curl, scripts) are not browsers carrying someone's cookie.

export const stateChangingMethods: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface RequestOrigin {
  method: string;
  /** Sec-Fetch-Site header, if sent. */
  fetchSite: string | null;
  /** Origin header, if sent. */
  origin: string | null;
  /** Origins that are the portal itself: NEXTAUTH_URL's and the one the request was addressed to (its Host). */
  ownOrigins: readonly string[];
}

/** Why the request is refused as cross-site (403), or null when it may change state. */
export function crossSiteRefusal({ method, fetchSite, origin, ownOrigins }: RequestOrigin): string | null {
  if (!stateChangingMethods.has(method.toUpperCase())) return null;
  const site = fetchSite?.trim().toLowerCase();
  if (site && site !== "same-origin" && site !== "none") {
    return `Refused a ${site} ${method} (Sec-Fetch-Site: ${site}): the portal changes state only for requests from its own pages.`;
  }
  if (origin !== null) {
    const own = new Set(ownOrigins.map(originOf).filter((o): o is string => o !== null));
    const from = originOf(origin);
    if (!from || !own.has(from)) {
      return `Refused a ${method} from another origin (Origin: ${origin.slice(0, 100)}): the portal changes state only for requests from its own pages.`;
    }
  }
  return null;
}

/**
 * The origins that are the portal itself: the host the browser addressed (Host, or the one a reverse proxy forwarded;
 * a page can set neither header) over http and https, and NEXTAUTH_URL's.
 */
export function ownOrigins(headers: Headers, url: URL, nextAuthUrl: string | undefined): string[] {
  const hosts = [headers.get("host") ?? url.host, headers.get("x-forwarded-host")].filter((h): h is string =>
    Boolean(h),
  );
  return [...hosts.flatMap((h) => [`http://${h}`, `https://${h}`]), ...(nextAuthUrl ? [nextAuthUrl] : [])];
}

/** Why the body's declared type is refused (415), or null when it is JSON or there is no body. */
export function contentTypeRefusal(method: string, contentType: string | null, hasBody: boolean): string | null {
  if (!stateChangingMethods.has(method.toUpperCase())) return null;
  const mediaType = contentType?.split(";")[0]!.trim().toLowerCase() ?? null;
  if (mediaType === "application/json") return null;
  if (mediaType === null && !hasBody) return null;
  return `Content-Type must be application/json (got ${mediaType ?? "none"}): send the body as JSON with the header Content-Type: application/json.`;
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}
