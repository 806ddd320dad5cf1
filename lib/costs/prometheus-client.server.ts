import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { Agent, request } from "undici";
import { z } from "zod";
import { checkAddress, checkUrlShape, parseIp } from "./url-allow-list";
import type { MatrixSeries } from "./prometheus-join";

/** Every address of a hostname. Injectable so that tests can play a DNS server whose answer changes. */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string }[]>;

const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

/** A Prometheus URL that passed the allow-list, and what is needed to check it again at each connection. */
export interface PrometheusTarget {
  readonly url: URL;
  readonly allow: readonly string[];
  readonly resolve: ResolveHost;
}

/** Validates the admin-configured URL, resolving its host and checking every address against the allow-list. */
export async function checkPrometheusUrl(raw: string, allow: readonly string[], resolve: ResolveHost = resolveWithDns): Promise<PrometheusTarget> {
  const shape = checkUrlShape(raw, allow);
  if (!shape.ok) throw new Error(shape.reason);
  const host = shape.url.hostname.replace(/^\[|\]$/g, "");
  if (!parseIp(host)) await resolveAllowed(host, allow, resolve);
  return { url: shape.url, allow, resolve };
}

async function resolveAllowed(host: string, allow: readonly string[], resolve: ResolveHost): Promise<{ address: string; family: 4 | 6 }[]> {
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new Error(`prometheusUrl host ${host} has no address: check the name`);
  for (const a of addresses) {
    const verdict = checkAddress(a.address, host, allow);
    if (!verdict.ok) throw new Error(verdict.reason);
  }
  return addresses.map((a) => ({ address: a.address, family: isIP(a.address) === 6 ? 6 : 4 }));
}

/**
 * The DNS lookup of every connection to Prometheus: the socket connects only to addresses checked in this same
 * lookup, so a name that passed checkPrometheusUrl and then resolves elsewhere (DNS rebinding to
 * 169.254.169.254, say) is refused at connect time instead of being trusted from the earlier check.
 */
export function allowListedLookup(target: PrometheusTarget): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, target.allow, target.resolve).then(
      (addresses) => {
        const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (usable.length === 0) return callback(new Error(`prometheusUrl host ${hostname} has no IPv${options.family} address`), "", 4);
        if (options.all) return callback(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: Error) => callback(Object.assign(new Error(`refused to connect to Prometheus: ${error.message}`), { code: "PROMETHEUS_ADDRESS_REFUSED" }), "", 4),
    );
  };
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

/**
 * GET /api/v1/query_range. The connection goes only to addresses the allow-list accepts, checked as it is made
 * (see allowListedLookup); TLS SNI and Host stay the configured hostname. Redirects are refused: a redirect could
 * point past the allow-list.
 */
export async function queryRange(target: PrometheusTarget, query: string, o: QueryRangeOptions): Promise<MatrixSeries[]> {
  // IP literals never reach a lookup, so their check is repeated here rather than trusted from the caller.
  const shape = checkUrlShape(target.url.href, target.allow);
  if (!shape.ok) throw new Error(shape.reason);
  const base = target.url;
  const url = new URL("api/v1/query_range", base.href.endsWith("/") ? base : new URL(`${base.href}/`));
  url.searchParams.set("query", query);
  url.searchParams.set("start", String(o.start / 1000));
  url.searchParams.set("end", String(o.end / 1000));
  url.searchParams.set("step", String(o.stepSeconds));
  const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 30_000), ...(o.signal ? [o.signal] : [])]);
  const dispatcher = new Agent({ connect: { lookup: allowListedLookup(target) } });
  try {
    const res = await request(url, { method: "GET", dispatcher, signal, headers: { accept: "application/json" } });
    const text = await res.body.text();
    if (res.statusCode >= 300 && res.statusCode < 400) throw new Error(`Prometheus answered a redirect (${res.statusCode}) for ${url.pathname}: configure the final URL`);
    if (res.statusCode >= 400) throw new Error(`Prometheus query_range failed with ${res.statusCode}: ${text.slice(0, 300)}`);
    const parsed = rangeResponse.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`Prometheus query_range returned an unexpected body for "${query}": ${parsed.error.issues[0]?.message}`);
    return parsed.data.data.result;
  } finally {
    await dispatcher.destroy();
  }
}
