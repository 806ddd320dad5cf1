// The client address a sign-in attempt is throttled under. next-auth hands `authorize` the request headers as a
// plain object (lower-case names), never the socket, so X-Forwarded-For is the only source, and only its entries
// written by proxies the operator trusts (PORTAL_TRUSTED_PROXIES) say who connected: everything to their left is
// what the client claimed. This is the rule of Express's numeric `trust proxy`, counted from the right.
//
// With 0 trusted proxies the header is not read at all. Next.js's own server (base-server.js) sets X-Forwarded-For
// to the socket's address only when the request has none (`??=`), so a client that reaches the portal directly could
// send a single entry of its choosing and be throttled under someone else's address. Without a proxy there is no
// address worth trusting: attempts are throttled per account only (UNKNOWN_CLIENT_ADDRESS). X-Real-IP is not read
// either: a client that reaches the portal can send it too.
import { z } from "zod";

/** Throttling key when the request names no usable address (no proxy in front, or a malformed header). */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

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
 * The address `trustedProxies` hops in front of the portal saw the request come from: the `trustedProxies`-th
 * X-Forwarded-For entry from the right. When the header has fewer entries, the leftmost (the furthest proxy wrote
 * it). With no trusted proxy, or a malformed entry there, UNKNOWN_CLIENT_ADDRESS, never a neighbour.
 */
export function clientAddressFromHeaders(headers: HeaderBag, trustedProxies = 0): string {
  if (trustedProxies < 1) return UNKNOWN_CLIENT_ADDRESS;
  const forwardedFor = header(headers, "x-forwarded-for");
  if (!forwardedFor || forwardedFor.length > MAX_HEADER_LENGTH) return UNKNOWN_CLIENT_ADDRESS;
  const hops = forwardedFor.split(",");
  const fromRight = Math.min(trustedProxies - 1, hops.length - 1);
  return normalize(hops[hops.length - 1 - fromRight]) ?? UNKNOWN_CLIENT_ADDRESS;
}
