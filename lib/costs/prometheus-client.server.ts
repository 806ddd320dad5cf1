import "server-only";
import { lookup } from "node:dns/promises";
import { z } from "zod";
import { checkAddress, checkUrlShape, parseIp } from "./url-allow-list";
import type { MatrixSeries } from "./prometheus-join";

/** Validates the admin-configured URL, resolving its host and checking every address against the allow-list. */
export async function checkPrometheusUrl(raw: string, allow: readonly string[]): Promise<URL> {
  const shape = checkUrlShape(raw, allow);
  if (!shape.ok) throw new Error(shape.reason);
  const host = shape.url.hostname.replace(/^\[|\]$/g, "");
  if (!parseIp(host)) {
    const addresses = await lookup(host, { all: true });
    for (const a of addresses) {
      const verdict = checkAddress(a.address, host, allow);
      if (!verdict.ok) throw new Error(verdict.reason);
    }
  }
  return shape.url;
}

const rangeResponse = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("matrix"),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

export interface QueryRangeOptions {
  start: number;
  end: number;
  stepSeconds: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** GET /api/v1/query_range. Redirects are refused: a redirect could point past the allow-list. */
export async function queryRange(base: URL, query: string, o: QueryRangeOptions): Promise<MatrixSeries[]> {
  const url = new URL("api/v1/query_range", base.href.endsWith("/") ? base : new URL(`${base.href}/`));
  url.searchParams.set("query", query);
  url.searchParams.set("start", String(o.start / 1000));
  url.searchParams.set("end", String(o.end / 1000));
  url.searchParams.set("step", String(o.stepSeconds));
  const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 30_000), ...(o.signal ? [o.signal] : [])]);
  const res = await fetch(url, { redirect: "manual", signal, headers: { accept: "application/json" } });
  const text = await res.text();
  if (res.status >= 300 && res.status < 400) throw new Error(`Prometheus answered a redirect (${res.status}) for ${url.pathname}: configure the final URL`);
  if (!res.ok) throw new Error(`Prometheus query_range failed with ${res.status}: ${text.slice(0, 300)}`);
  const parsed = rangeResponse.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Prometheus query_range returned an unexpected body for "${query}": ${parsed.error.issues[0]?.message}`);
  return parsed.data.data.result;
}
