// The client address a sign-in attempt is throttled under and audited with. next-auth hands `authorize` the request
// headers as a plain object (lower-case names), never the socket, so the socket's address travels as a header too:
// the web server stamps every request with PEER_ADDRESS_HEADER (peer-address.server.ts, from instrumentation),
// overwriting whatever a client sent under that name.
//
// With 0 trusted proxies (PORTAL_TRUSTED_PROXIES, the default: people reach the portal directly, e.g. on localhost)
// the peer is the client, and X-Forwarded-For is not read at all: Next.js's own server (base-server.js) sets it to
// the socket's address only when the request has none (`??=`), so a client could send a single entry of its choosing
// and be throttled under someone else's address. With N trusted proxies only their X-Forwarded-For entries say who
// connected: the N-th from the right, everything to its left being what the client claimed. This is the rule of
// Express's numeric `trust proxy`. X-Real-IP is not read: a client that reaches the portal can send it too.
import { z } from "zod";

/** Throttling key when the request names no usable address (no stamped peer, or a malformed header). */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

/** The socket's remote address, as the web server saw it (set by peer-address.server.ts on every request). */
export const PEER_ADDRESS_HEADER = "x-portal-peer-address";

const ipAddress = z.union([z.ipv4(), z.ipv6()]);
// Far more hops than any real chain; a longer header is not worth splitting.
const MAX_HEADER_LENGTH = 4096;

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  // Repeated header lines form one list in order, as Node joins them.
  return Array.isArray(value) ? value.join(",") : value;
}

function normalize(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  let address = candidate.trim();
  // `[::1]:443` and `10.0.0.1:443` carry a port some proxies append; the port is not part of who is asking.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.toLowerCase();
  // Node reports IPv4 peers on a dual-stack socket as ::ffff:a.b.c.d; one person, one key.
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/.test(address)) address = address.slice("::ffff:".length);
  return ipAddress.safeParse(address).success ? address : undefined;
}

/**
 * Who connected. With no trusted proxy, the peer the web server stamped. Otherwise the address `trustedProxies` hops
 * in front of the portal saw the request come from: the `trustedProxies`-th X-Forwarded-For entry from the right;
 * when the header has fewer entries, the leftmost (the furthest proxy wrote it). A missing or malformed address is
 * UNKNOWN_CLIENT_ADDRESS, never a neighbour.
 */
export function clientAddressFromHeaders(headers: HeaderBag, trustedProxies = 0): string {
  if (trustedProxies < 1) return normalize(header(headers, PEER_ADDRESS_HEADER)) ?? UNKNOWN_CLIENT_ADDRESS;
  const forwardedFor = header(headers, "x-forwarded-for");
  if (!forwardedFor || forwardedFor.length > MAX_HEADER_LENGTH) return UNKNOWN_CLIENT_ADDRESS;
  const hops = forwardedFor.split(",");
  const fromRight = Math.min(trustedProxies - 1, hops.length - 1);
  return normalize(hops[hops.length - 1 - fromRight]) ?? UNKNOWN_CLIENT_ADDRESS;
}
