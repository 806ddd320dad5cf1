import "server-only";
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { policyLookup, requireAllowedUrl, type UrlPolicy } from "./policy-fetch.server";

// For libraries that make their own node:http requests and take an `agent` (openid-client under next-auth, for
// single sign-on): every connection the agent opens is checked like policyFetch checks one, host and port against the
// allow-list and every resolved address at connect time. The library does not follow redirects through it, so
// there is no hop to check.

type ConnectOptions = http.ClientRequestArgs;
type Callback = (error: Error | null, socket: Duplex) => void;

function guarded<A extends typeof http.Agent | typeof https.Agent>(
  Base: A,
  protocol: "http:" | "https:",
  policy: UrlPolicy,
  what: string,
) {
  return class extends (Base as typeof http.Agent) {
    createConnection(options: ConnectOptions, callback?: Callback): Duplex | null | undefined {
      const host = String(options.hostname ?? options.host ?? "");
      const port = options.port ? `:${options.port}` : "";
      const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
      try {
        const checked = requireAllowedUrl(`${protocol}//${shown}${port}/`, policy, what);
        const withLookup = { ...options, lookup: policyLookup(checked, policy, what) };
        return super.createConnection(withLookup, callback);
      } catch (error) {
        if (!callback) throw error;
        // Node's own agents call back with the error alone; its typing names a socket on every call.
        const fail = callback as (error: Error) => void;
        process.nextTick(() => fail(error instanceof Error ? error : new Error(String(error))));
        return undefined;
      }
    }
  };
}

/** An agent for `protocol` URLs whose every connection passes the URL policy. */
export function policyAgent(protocol: "http:" | "https:", policy: UrlPolicy, what: string): http.Agent {
  const Agent =
    protocol === "https:" ? guarded(https.Agent, protocol, policy, what) : guarded(http.Agent, protocol, policy, what);
  return new Agent({ keepAlive: false });
}
