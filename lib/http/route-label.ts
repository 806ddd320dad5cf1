// The `route` label of the HTTP metrics and logs: the URL path with every dynamic segment replaced by ":param", so
// a client cannot create a new metric series per made-up id or key (unbounded label values exhaust Prometheus).
// STATIC_SEGMENTS lists the folder names under app/api that are not [dynamic]; route-label.test.ts keeps it in sync.
export const STATIC_SEGMENTS: ReadonlySet<string> = new Set([
  "abort", "api", "approve", "audit", "auth", "backups", "budgets", "check", "clusters", "confirm", "copy", "costs", "dr-plans",
  "drift", "drills", "dry-run", "export", "force-apply", "healthz", "heatmap", "history", "ingest", "members", "openapi.json", "people", "plans",
  "readyz", "recommendations", "reject", "report", "request-rate-history", "requests", "revert", "scaling", "settings", "sso-groups", "steps", "summary", "teams", "timeline",
  "timeseries", "tokens", "url-allow-list", "v1", "notifications", "subscriptions", "deliveries", "test",
]);

export function routeLabel(pathname: string): string {
  const segments = pathname.split("/").filter(Boolean).slice(0, 8);
  return "/" + segments.map((s) => (STATIC_SEGMENTS.has(s) ? s : ":param")).join("/");
}
