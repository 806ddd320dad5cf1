// Who may read the web's /metrics, and whether the answer includes the team-labelled ml_* series. Those series
// carry every team's GPU memory use, throughput, queues and replica recommendations, while an ML engineer may see
// only their own teams' data; the portal's own process and HTTP metrics carry no team data.
import { createHash, timingSafeEqual } from "node:crypto";
import type { PortalEnv } from "@/lib/config/env";

export interface MetricsAccessSettings {
  /** METRICS_TOKEN: when set, every scrape must present it as a bearer token. */
  token: string | undefined;
  production: boolean;
  /** Demo sign-in (published passwords, one of them an admin's) already opens every team's data to anyone. */
  demoSignIn: boolean;
}

export type MetricsAccess = { allowed: false } | { allowed: true; teamMetrics: boolean };

export const teamMetricsOmittedComment =
  "# ml_* metrics are served only when METRICS_TOKEN is set (they carry team data)";

export function metricsAccessSettings(
  env: Pick<PortalEnv, "METRICS_TOKEN" | "NODE_ENV" | "PORTAL_DEMO_LOGIN">,
): MetricsAccessSettings {
  return { token: env.METRICS_TOKEN, production: env.NODE_ENV === "production", demoSignIn: env.PORTAL_DEMO_LOGIN };
}

/**
 * With a token: the right bearer token sees everything, anything else nothing. Without one: everyone sees the
 * portal's own metrics, and the team series too only where team data is not protected anyway (outside
 * production, or with demo sign-in on, as under `npm start`).
 */
export function decideMetricsAccess(settings: MetricsAccessSettings, authorization: string | null): MetricsAccess {
  if (settings.token)
    return bearerTokenMatches(authorization, settings.token)
      ? { allowed: true, teamMetrics: true }
      : { allowed: false };
  return { allowed: true, teamMetrics: !settings.production || settings.demoSignIn };
}

/** `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235), compared in constant time. */
export function bearerTokenMatches(authorization: string | null, token: string): boolean {
  const presented = /^bearer +(\S+) *$/i.exec(authorization ?? "")?.[1];
  if (!presented) return false;
  // Hashing first gives equal-length buffers, so neither the comparison's time nor an early length check tells
  // a caller how much of the token, or how long a token, they got right.
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(token));
}
