// The URLs the portal is configured to fetch, judged against an allow-list (shown beside the list in Settings).
import { checkUrl } from "./url-policy";

export interface FetchedUrl {
  /** Where the URL is configured, e.g. "Prometheus URL" or "DR plan model_corruption, step 4". */
  source: string;
  url: string;
  allowed: boolean;
  /** Why it is refused, naming the entry to add. */
  reason?: string;
}

export function judgeFetchedUrls(found: readonly { source: string; url: string }[], allow: readonly string[]): FetchedUrl[] {
  return found.map((f) => {
    const verdict = checkUrl(f.url, allow, f.source);
    return verdict.ok ? { ...f, allowed: true } : { ...f, allowed: false, reason: verdict.reason };
  });
}
