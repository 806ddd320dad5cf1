// The URLs the portal is configured to fetch, judged against an allow-list (shown beside the list in Settings).
import { checkUrl } from "./url-policy";

export interface FetchedUrl {
  /** Where the URL is configured, e.g. "Prometheus URL" or "DR plan model_corruption, step 4". */
  source: string;
  url: string;
  allowed: boolean;
  /** Why it is refused (naming the entry to add), or on what an allowed URL still depends. */
  reason?: string;
}

export function judgeFetchedUrls(
  found: readonly { source: string; url: string }[],
  allow: readonly string[],
): FetchedUrl[] {
  return found.map((f) => {
    const verdict = checkUrl(f.url, allow, f.source);
    if (!verdict.ok) return { ...f, allowed: false, reason: verdict.reason };
    // Its name is not listed, only networks with its port: whether it is fetched depends on what DNS answers.
    if (!verdict.literal && !verdict.byName)
      return {
        ...f,
        allowed: true,
        reason: `only if ${verdict.host} resolves into a listed network; list ${verdict.host}:${verdict.port} to allow it by name`,
      };
    return { ...f, allowed: true };
  });
}
