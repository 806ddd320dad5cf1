// The client address a sign-in attempt is throttled under. next-auth hands `authorize` the request headers as a
// plain object (lower-case names). Behind the ingress the portal is deployed with, X-Real-IP is the peer address the
// proxy saw and X-Forwarded-For's first hop the client it was forwarded for. Either can be forged by a client that
// reaches the portal directly, which is why the per-account limit in rate-limit.ts never relies on the address alone.
import { z } from "zod";

/** Throttling key when the request names no usable address (no proxy in front, or a malformed header). */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

const ipAddress = z.union([z.ipv4(), z.ipv6()]);

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

function normalize(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  let address = candidate.trim();
  // `[::1]:443` and `10.0.0.1:443` carry a port some proxies append; the port is not part of who is asking.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.toLowerCase();
  return ipAddress.safeParse(address).success ? address : undefined;
}

export function clientAddressFromHeaders(headers: HeaderBag): string {
  const forwardedFor = header(headers, "x-forwarded-for")?.split(",")[0];
  return normalize(forwardedFor) ?? normalize(header(headers, "x-real-ip")) ?? UNKNOWN_CLIENT_ADDRESS;
}
