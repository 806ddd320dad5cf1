// The one rule for every URL the portal fetches (Prometheus, DR health checks, a custom AWS endpoint, the
// request-rate history for scaling). A URL may be fetched only when
//   - it is http or https and carries no credentials;
//   - its host and port are on the admin's allow-list (Settings → URL allow-list): a host name matches itself,
//     an IP or CIDR matches an IP written in the URL or any address a listed-by-address host resolves to;
//   - none of its addresses is a metadata, link-local or otherwise never-fetchable address, whatever the list says.
// Pure: DNS answers come in from the caller (policy-fetch.server.ts checks each one as the socket connects).

export type Ip = { v: 4; bytes: number[] } | { v: 6; bytes: number[] };

/** One allow-list entry: a host name or a network, and a port (null: any port, written "*"). */
export type AllowEntry =
  { kind: "host"; host: string; port: number | null } | { kind: "network"; ip: Ip; bits: number; port: number | null };

/** `listable`: adding the entry the reason names would allow it (not so for never-fetched addresses). */
export type Refusal = { ok: false; reason: string; listable?: true };

const ENTRY_HELP =
  "write host:port, IP:port or CIDR:port, such as prometheus.monitoring.svc:9090, 10.0.0.0/8:9090 or [fd00::/8]:443 (* as the port allows every port)";

// Names that reach instance metadata however DNS is set up; refused before any lookup.
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.com",
  "metadata.packet.net",
]);

/** Parses a dotted-quad IPv4 or an IPv6 address (no brackets). URL hosts are already canonical (WHATWG URL). */
export function parseIp(text: string): Ip | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? { v: 4, bytes } : null;
  }
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const expand = (s: string | undefined): number[] | null => {
    const out: number[] = [];
    for (const g of s ? s.split(":") : []) {
      if (g.includes(".")) {
        const inner = parseIp(g);
        if (!inner || inner.v !== 4) return null;
        out.push((inner.bytes[0]! << 8) | inner.bytes[1]!, (inner.bytes[2]! << 8) | inner.bytes[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = expand(halves[0]);
  const tail = expand(halves[1]);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return { v: 6, bytes: groups.flatMap((g) => [g >> 8, g & 255]) };
}

const v6 = (text: string) => parseIp(text)!.bytes;

function inPrefix(addr: readonly number[], net: readonly number[], bits: number): boolean {
  for (let i = 0; i < addr.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((addr[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

// IPv6 forms that carry an IPv4 address: the packet goes to that IPv4 address, so it is judged (and listed) as it.
const EMBEDDING_V6: { net: number[]; bits: number; at: number; name: string }[] = [
  { net: v6("::ffff:0:0"), bits: 96, at: 12, name: "IPv4-mapped" },
  { net: v6("::ffff:0:0:0"), bits: 96, at: 12, name: "IPv4-translated" },
  { net: v6("64:ff9b::"), bits: 96, at: 12, name: "NAT64" },
  { net: v6("2002::"), bits: 16, at: 2, name: "6to4" },
  { net: v6("::"), bits: 96, at: 12, name: "IPv4-compatible" },
];

/** The IPv4 address an IPv6 address carries (mapped, translated, compatible, NAT64 /96, 6to4), if any. */
export function embeddedIpv4(ip: Ip): { v4: Ip; form: string } | null {
  if (ip.v !== 6) return null;
  for (const e of EMBEDDING_V6) {
    if (!inPrefix(ip.bytes, e.net, e.bits)) continue;
    const bytes = ip.bytes.slice(e.at, e.at + 4);
    // ::1 and :: are IPv6 loopback and unspecified, not IPv4-compatible 0.0.0.1 / 0.0.0.0.
    if (e.name === "IPv4-compatible" && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0) return null;
    return { v4: { v: 4, bytes }, form: e.name };
  }
  return null;
}

// Never fetched, even when listed. Each line says why an admin cannot want it.
const NEVER_V4: { net: number[]; bits: number; why: string }[] = [
  { net: [169, 254, 0, 0], bits: 16, why: "link-local (cloud instance metadata lives at 169.254.169.254)" },
  { net: [100, 100, 100, 200], bits: 32, why: "a cloud metadata address (Alibaba Cloud)" },
  { net: [0, 0, 0, 0], bits: 8, why: 'in 0.0.0.0/8 ("this network", reaches the local host)' },
  { net: [198, 18, 0, 0], bits: 15, why: "in 198.18.0.0/15 (benchmarking, used by some clouds for internal services)" },
  { net: [224, 0, 0, 0], bits: 4, why: "multicast" },
  { net: [240, 0, 0, 0], bits: 4, why: "in 240.0.0.0/4 (reserved, and the broadcast address)" },
];
const NEVER_V6: { net: number[]; bits: number; why: string }[] = [
  { net: v6("fd00:ec2::254"), bits: 128, why: "AWS instance metadata over IPv6" },
  { net: v6("fd00:ec2::253"), bits: 128, why: "the AWS DNS resolver over IPv6" },
  { net: v6("fd20:ce::254"), bits: 128, why: "Google Cloud's metadata server over IPv6" },
  { net: v6("fe80::"), bits: 10, why: "link-local" },
  { net: v6("fec0::"), bits: 10, why: "site-local (deprecated, routed like link-local)" },
  { net: v6("ff00::"), bits: 8, why: "multicast" },
  { net: v6("::"), bits: 128, why: "the unspecified address (reaches the local host)" },
  // Local-use NAT64 prefixes put the IPv4 address where the operator chose, so what it reaches cannot be known.
  { net: v6("64:ff9b:1::"), bits: 48, why: "local-use NAT64 (64:ff9b:1::/48), whose IPv4 address cannot be read" },
  { net: v6("2001::"), bits: 32, why: "Teredo (2001::/32), which tunnels to an IPv4 address" },
];

/** Why this address is never fetched, or null when the allow-list decides. */
export function neverFetched(ip: Ip): string | null {
  if (ip.v === 6) {
    const hit = NEVER_V6.find((n) => inPrefix(ip.bytes, n.net, n.bits));
    if (hit) return hit.why;
    const inner = embeddedIpv4(ip);
    if (!inner) return null;
    const why = neverFetched(inner.v4);
    return why && `${inner.form} form of ${inner.v4.bytes.join(".")}, ${why}`;
  }
  return NEVER_V4.find((n) => inPrefix(ip.bytes, n.net, n.bits))?.why ?? null;
}

const MIN_PREFIX = 8;

/**
 * Why a listed network can never be fetched or is too wide, or null: it lies inside a never-fetched range, or it
 * is an IPv6 form that carries IPv4 addresses (mapped, 6to4, NAT64…) and so must meet the IPv4 rules for them.
 */
function networkNeverFetched(ip: Ip, bits: number): string | null {
  const lists = ip.v === 4 ? NEVER_V4 : NEVER_V6;
  const inside = lists.find((n) => bits >= n.bits && inPrefix(ip.bytes, n.net, n.bits));
  if (inside) return `inside a range that is ${inside.why}`;
  if (ip.v === 6) {
    for (const e of EMBEDDING_V6) {
      // The network holds the whole embedding prefix (e.g. [::/8] holds every IPv4-mapped address): every IPv4.
      if (bits <= e.bits && inPrefix(e.net, ip.bytes, bits))
        return `a network holding every IPv4 address in its ${e.name} form`;
      if (bits < e.bits || !inPrefix(ip.bytes, e.net, e.bits)) continue;
      // ::1 and :: are IPv6 loopback and unspecified, not IPv4-compatible addresses (as in embeddedIpv4).
      if (e.name === "IPv4-compatible" && ip.bytes[12] === 0 && ip.bytes[13] === 0 && ip.bytes[14] === 0) continue;
      const v4Bits = bits - e.at * 8;
      if (v4Bits < MIN_PREFIX) return `the ${e.name} form of an IPv4 network shorter than /${MIN_PREFIX}`;
      const why = networkNeverFetched({ v: 4, bytes: ip.bytes.slice(e.at, e.at + 4) }, Math.min(v4Bits, 32));
      return why && `the ${e.name} form of an IPv4 network ${why}`;
    }
  }
  return null;
}

// RFC 1123 labels; "_" too, because Docker and Compose service names are resolvable with it.
const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/** One allow-list entry as an admin typed it (see ENTRY_HELP); the reason names the entry and what to write. */
export function parseAllowEntry(text: string): { ok: true; entry: AllowEntry } | Refusal {
  const refuse = (why: string): Refusal => ({ ok: false, reason: `"${text}" ${why}: ${ENTRY_HELP}` });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return refuse("is a URL, not host:port");
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let hostPart: string;
  let portText: string | undefined;
  if (bracketed) [hostPart, portText] = [bracketed[1]!, bracketed[2]];
  else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) return refuse("has no port");
    if (text.indexOf(":") !== colon) return refuse("looks like an IPv6 address without brackets");
    [hostPart, portText] = [text.slice(0, colon), text.slice(colon + 1)];
  }
  if (portText === undefined || portText === "") return refuse("has no port");
  let port: number | null = null;
  if (portText !== "*") {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
      return refuse(`has port "${portText}", which is not a number from 1 to 65535 or *`);
    port = Number(portText);
  }
  const slash = hostPart.indexOf("/");
  const address = slash >= 0 ? hostPart.slice(0, slash) : hostPart;
  const ip = parseIp(address);
  if (ip) {
    if (bracketed && ip.v === 4) return refuse("puts an IPv4 address in brackets");
    if (!bracketed && ip.v === 6) return refuse("needs brackets around the IPv6 address");
    const dotted = address.slice(address.lastIndexOf(":") + 1);
    if (dotted.includes(".") && /(^|\.)0\d/.test(dotted))
      return refuse("has a number with a leading zero, which URL parsers read as octal");
    const max = ip.v === 4 ? 32 : 128;
    let bits = max;
    if (slash >= 0) {
      const bitsText = hostPart.slice(slash + 1);
      if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max)
        return refuse(`has a prefix length that is not a whole number from 1 to ${max}`);
      bits = Number(bitsText);
      // /0 would open every address, so it is refused rather than warned about.
      if (bits === 0) return refuse("matches every address; list the networks the services are in");
      // Two halves (/1 + /1) are every address too, so short prefixes are refused rather than only /0. IPv4
      // networks are /8 or longer (10.0.0.0/8 is the widest a service network is); IPv6 ones /8 or longer, which
      // keeps the unique-local fd00::/8 an admin writes for a cluster's pod network.
      if (bits < MIN_PREFIX)
        return refuse(
          `has a prefix shorter than /${MIN_PREFIX}, which opens a large part of every address; list the networks the services are in`,
        );
    }
    const unreachable = networkNeverFetched(ip, bits);
    if (unreachable) return refuse(`is ${unreachable}, which is never fetched, so listing it has no effect`);
    return { ok: true, entry: { kind: "network", ip, bits, port } };
  }
  if (slash >= 0 || bracketed) return refuse("is not a host name, an IP address or a CIDR");
  const labels = hostPart.split(".");
  // An all-digit last label is an IP address typed wrong ("10.0.0", "10.0.0.256"), not a host name.
  if (hostPart.length > 253 || !labels.every((l) => HOST_LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!))
    return refuse("is not a host name, an IP address or a CIDR");
  if (METADATA_HOSTS.has(hostPart.toLowerCase().replace(/\.$/, "")))
    return refuse("names a cloud metadata service, which is never fetched, so listing it has no effect");
  return { ok: true, entry: { kind: "host", host: hostPart.toLowerCase(), port } };
}

/** A parsed allow-list. Entries that do not parse (stored before they were checked) match nothing. */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.flatMap((e) => {
    const parsed = parseAllowEntry(e);
    return parsed.ok ? [parsed.entry] : [];
  });
}

/** Why each stored entry is ignored, for the Settings page. */
export function ignoredAllowEntries(entries: readonly string[]): string[] {
  return entries.flatMap((e) => {
    const parsed = parseAllowEntry(e);
    return parsed.ok ? [] : [parsed.reason];
  });
}

const portMatches = (entry: AllowEntry, port: number) => entry.port === null || entry.port === port;

function addressListed(ip: Ip, port: number, list: readonly AllowEntry[]): boolean {
  const inner = embeddedIpv4(ip)?.v4;
  return list.some(
    (e) =>
      e.kind === "network" &&
      portMatches(e, port) &&
      [ip, inner].some((a) => a && a.v === e.ip.v && inPrefix(a.bytes, e.ip.bytes, e.bits)),
  );
}

/** A URL that passed the checks that need no DNS; `byName`: its host name is listed, so any fetchable address will do. */
export interface CheckedUrl {
  ok: true;
  url: URL;
  host: string;
  port: number;
  /** The host is an IP address (no DNS lookup happens, so nothing else is checked at connect time). */
  literal: boolean;
  byName: boolean;
  /** How to get a refused address onto the list (for the connect-time messages). */
  fix: string;
}

/** How to get a refused host onto the list; the CLI, which has its own list (--allow), says so instead. */
export const SETTINGS_FIX = "a platform admin can add it in Settings → URL allow-list";

/** Everything about `raw` that can be decided without DNS. `what` names the URL in messages ("prometheusUrl"). */
export function checkUrl(
  raw: string,
  allow: readonly string[],
  what = "URL",
  fix = SETTINGS_FIX,
): CheckedUrl | Refusal {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `${what} "${raw}" is not a URL: write it like http://service.namespace.svc:8080/path` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, reason: `${what} ${url.href} must use http or https, not ${url.protocol.replace(":", "")}` };
  if (url.username || url.password)
    return { ok: false, reason: `${what} must not carry a user name or password: remove them from the URL` };
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const shown = `${url.origin}`;
  if (METADATA_HOSTS.has(host))
    return { ok: false, reason: `${what} ${shown} names a cloud metadata service, which is never fetched` };
  const list = parseAllowList(allow);
  const ip = parseIp(host);
  if (ip) {
    const never = neverFetched(ip);
    if (never) return { ok: false, reason: `${what} ${shown} is ${never}, which is never fetched, even when listed` };
    if (!addressListed(ip, port, list))
      return {
        ok: false,
        reason: `${what} ${shown}: ${host} port ${port} is not on the URL allow-list: ${fix} as ${ip.v === 6 ? `[${host}]` : host}:${port}`,
        listable: true,
      };
    return { ok: true, url, host, port, literal: true, byName: false, fix };
  }
  const byName = list.some((e) => e.kind === "host" && e.host === host && portMatches(e, port));
  if (!byName && !list.some((e) => e.kind === "network" && portMatches(e, port))) {
    return {
      ok: false,
      reason: `${what} ${shown}: ${host} port ${port} is not on the URL allow-list: ${fix} as ${host}:${port}`,
      listable: true,
    };
  }
  return { ok: true, url, host, port, literal: false, byName, fix };
}

/** One address DNS gave for a checked URL's host (call for every address, as the connection is made). */
export function checkResolvedAddress(
  checked: CheckedUrl,
  address: string,
  allow: readonly string[],
  what = "URL",
): { ok: true } | Refusal {
  const ip = parseIp(address);
  const shown = checked.url.origin;
  if (!ip)
    return {
      ok: false,
      reason: `${what} ${shown}: ${checked.host} resolved to "${address}", which is not an IP address`,
    };
  const never = neverFetched(ip);
  if (never)
    return {
      ok: false,
      reason: `${what} ${shown}: ${checked.host} resolves to ${address}, ${never}, which is never fetched, even when listed`,
    };
  if (checked.byName || addressListed(ip, checked.port, parseAllowList(allow))) return { ok: true };
  return {
    ok: false,
    reason: `${what} ${shown}: ${checked.host} port ${checked.port} is not on the URL allow-list and its address ${address} is in no listed network: ${checked.fix} as ${checked.host}:${checked.port}`,
    listable: true,
  };
}
