import "server-only";
import { z } from "zod";
import { policyFetch, requireAllowedUrl, type UrlPolicy } from "@/lib/net/policy-fetch.server";
import { logger } from "@/lib/observability/logger";
import type { MatrixSeries } from "./matrix";

/** A Prometheus URL that passed the URL policy's checks that need no DNS, and the policy to check it again with. */
export interface PrometheusTarget {
  readonly url: URL;
  readonly policy: UrlPolicy;
}

/** Checks the configured URL against the URL policy (its addresses are checked at every connection). */
export function prometheusTarget(raw: string, policy: UrlPolicy): PrometheusTarget {
  return { url: requireAllowedUrl(raw, policy, "prometheusUrl").url, policy };
}

const rangeResponse = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("matrix"),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) }),
    ),
  }),
});

export interface QueryRangeOptions {
  start: number;
  end: number;
  stepSeconds: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

// Prometheus's own error answer. Its errorType is one of a few words; its error text is Prometheus's (e.g. a PromQL
// parse error), useful enough to show, cut short and stripped of control characters.
const prometheusError = z.object({
  status: z.literal("error"),
  errorType: z.string().regex(/^[a-z_]{1,32}$/),
  error: z.string(),
});
const ERROR_TEXT_LIMIT = 200;

/** ": errorType: error" for Prometheus's JSON error shape, nothing for any other body. */
export function prometheusErrorDetail(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "";
  }
  const parsed = prometheusError.safeParse(body);
  if (!parsed.success) return "";
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
  const error = parsed.data.error.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").slice(0, ERROR_TEXT_LIMIT);
  return `: ${parsed.data.errorType}: ${error}${parsed.data.error.length > ERROR_TEXT_LIMIT ? "…" : ""}`;
}

/** GET /api/v1/query_range under the URL policy (policy-fetch.server.ts): checked at connect time and on every redirect. */
export async function queryRange(
  target: PrometheusTarget,
  query: string,
  o: QueryRangeOptions,
): Promise<MatrixSeries[]> {
  const base = target.url;
  const url = new URL("api/v1/query_range", base.href.endsWith("/") ? base : new URL(`${base.href}/`));
  url.searchParams.set("query", query);
  url.searchParams.set("start", String(o.start / 1000));
  url.searchParams.set("end", String(o.end / 1000));
  url.searchParams.set("step", String(o.stepSeconds));
  const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 30_000), ...(o.signal ? [o.signal] : [])]);
  const res = await policyFetch(
    url.href,
    { signal, headers: { accept: "application/json" }, what: "prometheusUrl" },
    target.policy,
  );
  if (res.status >= 400) {
    // The raw body goes to the server log only: the message is stored and shown to engineers (ingestion status,
    // scaling history), and the URL's target must not be able to make the portal repeat what it says.
    logger.warn(
      { url: url.origin, status: res.status, body: res.text.slice(0, 2000) },
      "Prometheus query_range failed",
    );
    throw new Error(`Prometheus query_range failed with ${res.status}${prometheusErrorDetail(res.text)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(
      `Prometheus query_range answered ${res.status} with a body that is not JSON for "${query}": check that prometheusUrl points at Prometheus`,
    );
  }
  const parsed = rangeResponse.safeParse(body);
  if (!parsed.success)
    throw new Error(
      `Prometheus query_range returned an unexpected body for "${query}": ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data.data.result;
}
