import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import http from "node:http";
import https from "node:https";
import { Agent, request } from "undici";
import { checkResolvedAddress, checkUrl, type CheckedUrl } from "./url-policy";

// Fetching under the URL policy (url-policy.ts). The host's addresses are checked inside the socket's own DNS
// lookup, so the connection goes only to an address checked in that same lookup: a name that resolves elsewhere
// between a check and the connection (DNS rebinding to 169.254.169.254, say) is refused. Redirects are followed
// by hand, each hop checked like the first.

/** Every address of a host name. Injectable so that tests can play a DNS server. */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string }[]>;

export interface UrlPolicy {
  /** The admin's allow-list (Settings → URL allow-list), or the CLI's --allow. */
  allow: readonly string[];
  resolve?: ResolveHost;
  /** How to get a refused host onto `allow`, when that is not Settings (the CLI: "add it to --allow"). */
  fix?: string;
}

/** A URL the policy refuses; `message` names the URL, why, and the Settings list that would allow it. */
export class UrlRefusedError extends Error {
  readonly code = "url_refused";
  constructor(
    readonly url: string,
    message: string,
    /** Adding the host:port the message names to the allow-list would allow it. */
    readonly listable = false,
  ) {
    super(message);
    this.name = "UrlRefusedError";
  }
}

const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

/** The checks that need no DNS; throws UrlRefusedError. */
export function requireAllowedUrl(raw: string, policy: UrlPolicy, what = "URL"): CheckedUrl {
  const checked = checkUrl(raw, policy.allow, what, policy.fix);
  if (!checked.ok) throw new UrlRefusedError(raw, checked.reason, checked.listable ?? false);
  return checked;
}

/**
 * The DNS lookup of every connection to `checked`'s host: resolves, refuses the whole answer if any address is
 * refused (a mixed answer is what a rebinding attack looks like), and hands the socket only checked addresses.
 */
export function policyLookup(
  checked: CheckedUrl,
  policy: UrlPolicy,
  what: string,
  onRefused: (e: UrlRefusedError) => void = () => {},
): LookupFunction {
  const resolve = policy.resolve ?? resolveWithDns;
  return (hostname, options, callback) => {
    const fail = (error: Error) =>
      callback(
        Object.assign(error, { code: (error as { code?: string }).code ?? "ENOTFOUND" }) as NodeJS.ErrnoException,
        "",
        4,
      );
    if (hostname.toLowerCase().replace(/\.$/, "") !== checked.host)
      return fail(
        new UrlRefusedError(
          checked.url.href,
          `${what}: a connection to ${hostname} was attempted while fetching ${checked.url.origin}`,
        ),
      );
    resolve(hostname).then(
      (answers) => {
        if (answers.length === 0)
          return fail(new Error(`${what} ${checked.url.origin}: ${hostname} has no address: check the name`));
        for (const a of answers) {
          const verdict = checkResolvedAddress(checked, a.address, policy.allow, what);
          if (!verdict.ok) {
            const refused = new UrlRefusedError(checked.url.href, verdict.reason, verdict.listable ?? false);
            onRefused(refused);
            return fail(refused);
          }
        }
        const all = answers.map((a) => ({ address: a.address, family: isIP(a.address) === 6 ? 6 : 4 }));
        const usable =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const first = usable[0];
        if (!first)
          return fail(new Error(`${what} ${checked.url.origin}: ${hostname} has no IPv${options.family} address`));
        if (options.all) return callback(null, usable);
        callback(null, first.address, first.family);
      },
      (error: Error) => fail(error),
    );
  };
}

export interface PolicyFetchInit {
  method?: "GET" | "POST" | "PATCH" | "HEAD";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** "follow" (default): up to maxRedirects hops, each checked like the first; "manual": answer the 3xx itself. */
  redirect?: "follow" | "manual";
  /** Redirects followed; more is an error. */
  maxRedirects?: number;
  /** The body is read up to this many bytes; a longer one is an error. */
  maxBodyBytes?: number;
  /** Drop the body unread (health checks need only the status). */
  discardBody?: boolean;
  /** Names the URL in messages, e.g. "prometheusUrl" or "health check URL". */
  what?: string;
}

export interface PolicyResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Fetches `raw` if the URL policy allows it and every redirect it follows. Throws UrlRefusedError otherwise. */
export async function policyFetch(raw: string, init: PolicyFetchInit, policy: UrlPolicy): Promise<PolicyResponse> {
  const what = init.what ?? "URL";
  const maxRedirects = init.maxRedirects ?? 5;
  let current = raw;
  let method = init.method ?? "GET";
  let body = init.body;
  for (let hop = 0; ; hop++) {
    const checked = requireAllowedUrl(current, policy, hop === 0 ? what : `${what} (redirected from ${raw})`);
    let refused: UrlRefusedError | undefined;
    const dispatcher = new Agent({ connect: { lookup: policyLookup(checked, policy, what, (e) => (refused = e)) } });
    try {
      const res = await request(checked.url, {
        method,
        headers: init.headers,
        body,
        signal: init.signal,
        dispatcher,
      }).catch((error: Error) => {
        throw refused ?? error;
      });
      const location = res.headers.location;
      if (init.redirect !== "manual" && REDIRECTS.has(res.statusCode) && typeof location === "string") {
        await res.body.dump();
        if (hop >= maxRedirects)
          throw new UrlRefusedError(
            current,
            `${what} ${raw} redirected more than ${maxRedirects} times: configure the final URL`,
          );
        current = new URL(location, checked.url).href;
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST"))
          [method, body] = ["GET", undefined];
        continue;
      }
      if (init.discardBody) {
        await res.body.dump();
        return { status: res.statusCode, url: current, headers: res.headers, text: "" };
      }
      return {
        status: res.statusCode,
        url: current,
        headers: res.headers,
        text: await readCapped(res.body, init.maxBodyBytes ?? 64 * 1024 * 1024, `${what} ${current}`),
      };
    } finally {
      await dispatcher.destroy();
    }
  }
}

async function readCapped(body: AsyncIterable<Buffer>, max: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new Error(`${what} answered more than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Node http(s) agents for clients that do their own HTTP (the AWS SDK): every connection they open to `raw`'s
 * host goes through the same connect-time check. Throws UrlRefusedError when the URL itself is refused.
 */
export function policyAgents(
  raw: string,
  policy: UrlPolicy,
  what: string,
): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const checked = requireAllowedUrl(raw, policy, what);
  const lookup = policyLookup(checked, policy, what);
  return {
    httpAgent: new http.Agent({ lookup } as http.AgentOptions),
    httpsAgent: new https.Agent({ lookup } as https.AgentOptions),
  };
}
