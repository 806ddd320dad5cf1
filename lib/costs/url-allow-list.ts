// Which Prometheus URLs the portal may call. An admin types the URL, so it must not become a way to reach cloud
// metadata or internal services: link-local (169.254/16, fe80::/10) and the clouds' IPv6 metadata addresses are
// always refused, also as IPv4 inside IPv6 (::ffff:a.b.c.d, NAT64's 64:ff9b::a.b.c.d); loopback and private
// ranges only when the admin lists the host or a CIDR containing it. Allow-list entries are checked when saved
// (parseAllowEntry, used by the settings schema) and again here. Pure: hostnames are resolved by the caller.

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const ALWAYS_BLOCKED_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"]);

/** Syntactic check of the URL and, when the host is an IP literal, of the address. */
export function checkUrlShape(raw: string, allow: readonly string[]): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `prometheusUrl "${raw}" is not a URL: write it like http://prometheus.monitoring.svc:9090` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: `prometheusUrl must use http or https, not ${url.protocol.replace(":", "")}` };
  if (url.username || url.password) return { ok: false, reason: "prometheusUrl must not embed credentials: configure authentication separately" };
  const host = hostOf(url);
  if (ALWAYS_BLOCKED_HOSTS.has(host.toLowerCase())) return { ok: false, reason: `prometheusUrl host ${host} is a cloud metadata endpoint and is never allowed` };
  if (host.toLowerCase() === "localhost" || host.toLowerCase().endsWith(".localhost")) {
    return isListed(host, null, allow) ? { ok: true, url } : { ok: false, reason: `prometheusUrl host ${host} is loopback: add it to the Prometheus allow-list in Settings if this is intended` };
  }
  if (parseIp(host)) {
    const verdict = checkAddress(host, host, allow);
    if (!verdict.ok) return verdict;
  }
  return { ok: true, url };
}

/** Checks one resolved address of `host` (call for every address DNS returns). */
export function checkAddress(address: string, host: string, allow: readonly string[]): { ok: true } | { ok: false; reason: string } {
  const ip = parseIp(address);
  if (!ip) return { ok: false, reason: `address ${address} of ${host} is not an IP address` };
  // An IPv4 address carried in IPv6 is where the packet really goes: it is classified and listed as that IPv4.
  const v4 = embeddedIpv4(ip);
  const shown = v4 ? `${address} (IPv4 ${v4.bytes.join(".")})` : address;
  const kind = classify(v4 ?? ip);
  const fix = "point prometheusUrl at a host that resolves to Prometheus itself";
  if (kind === "cloud-metadata") return { ok: false, reason: `prometheusUrl host ${host} resolves to ${shown}, a cloud metadata address (instance metadata or its DNS), which is never allowed: ${fix}` };
  if (kind === "link-local") return { ok: false, reason: `prometheusUrl host ${host} resolves to link-local ${shown} (cloud metadata range), which is never allowed: ${fix}` };
  if (kind === "public") return { ok: true };
  if (isListed(host, ip, allow) || (v4 && isListed(host, v4, allow))) return { ok: true };
  return { ok: false, reason: `prometheusUrl host ${host} resolves to ${kind} address ${shown}: add "${host}" or its CIDR to the Prometheus allow-list in Settings if this is intended` };
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

export type Ip = { v: 4; bytes: number[] } | { v: 6; bytes: number[] };

export function parseIp(text: string): Ip | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? { v: 4, bytes } : null;
  }
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const [head, tail] = text.split("::") as [string, string | undefined];
  if (text.split("::").length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(":") : []);
  const expand = (groups: string[]): number[] | null => {
    const out: number[] = [];
    for (const g of groups) {
      if (g.includes(".")) {
        const inner = parseIp(g);
        if (!inner || inner.v !== 4) return null;
        out.push((inner.bytes[0] << 8) | inner.bytes[1], (inner.bytes[2] << 8) | inner.bytes[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const h = expand(part(head));
  const t = expand(part(tail));
  if (!h || !t) return null;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...h, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...t];
  return { v: 6, bytes: groups.flatMap((g) => [g >> 8, g & 255]) };
}

type Kind = "public" | "loopback" | "private" | "link-local" | "cloud-metadata";

// The instance metadata services' IPv6 addresses sit in unique-local space (fd00::/8), which an admin may list for
// a cluster's pod range, so they are refused by address: AWS IMDS fd00:ec2::254 and its DNS resolver fd00:ec2::253,
// Google Cloud's metadata server fd20:ce::254. (IPv4 169.254.169.254 is covered by refusing 169.254/16.)
const CLOUD_METADATA_V6 = ["fd00:ec2::254", "fd00:ec2::253", "fd20:ce::254"].map((text) => parseIp(text)!.bytes);

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96) or NAT64 well-known-prefix (64:ff9b::/96) address. */
function embeddedIpv4(ip: Ip): Ip | null {
  if (ip.v !== 6) return null;
  const b = ip.bytes;
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0);
  return mapped || nat64 ? { v: 4, bytes: b.slice(12) } : null;
}

function classify(ip: Ip): Kind {
  if (ip.v === 6) {
    const b = ip.bytes;
    if (CLOUD_METADATA_V6.some((m) => m.every((x, i) => x === b[i]))) return "cloud-metadata";
    if (b.every((x, i) => (i === 15 ? x === 1 : x === 0))) return "loopback";
    if (b.every((x) => x === 0)) return "loopback";
    if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return "link-local";
    if ((b[0] & 0xfe) === 0xfc) return "private";
    return "public";
  }
  const [a, b2] = ip.bytes;
  if (a === 169 && b2 === 254) return "link-local";
  if (a === 127 || a === 0) return "loopback";
  if (a === 10 || (a === 172 && b2 >= 16 && b2 <= 31) || (a === 192 && b2 === 168) || (a === 100 && b2 >= 64 && b2 <= 127)) return "private";
  return "public";
}

export type AllowEntry = { kind: "host"; host: string } | { kind: "network"; ip: Ip; bits: number };

const ALLOW_ENTRY_HELP = "use a host name, an IP address or a CIDR such as 10.0.0.0/8";
// RFC 1123 labels; "_" too, because Docker and Compose service names are resolvable with it.
const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/**
 * One allow-list entry as an admin typed it: a host name (matched exactly, case-insensitively), an IP address,
 * or a CIDR with a whole-number prefix (1–32 for IPv4, 1–128 for IPv6). A prefix of 0 matches every address, which
 * would switch the loopback and private-range protection off, so it is refused rather than warned about.
 */
export function parseAllowEntry(entry: string): { ok: true; entry: AllowEntry } | { ok: false; reason: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return { ok: false, reason: `"${entry}" is a URL: write only its host name or address (${ALLOW_ENTRY_HELP})` };
  const slash = entry.indexOf("/");
  if (slash >= 0) {
    const [net, bitsText] = [entry.slice(0, slash), entry.slice(slash + 1)];
    const ip = parseIp(net);
    if (!ip) return { ok: false, reason: `"${entry}" is not a host name, an IP address or a CIDR: ${ALLOW_ENTRY_HELP}` };
    if (!canonicalIpText(net)) return { ok: false, reason: leadingZero(entry) };
    const max = ip.v === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) {
      return { ok: false, reason: `"${entry}" has a prefix length that is not a whole number from 1 to ${max}; ${ALLOW_ENTRY_HELP}` };
    }
    if (Number(bitsText) === 0) {
      return { ok: false, reason: `"${entry}" matches every address, which would let the portal call any loopback or private address, so it is refused: list the ranges Prometheus is in, such as 10.0.0.0/8` };
    }
    return { ok: true, entry: { kind: "network", ip, bits: Number(bitsText) } };
  }
  const ip = parseIp(entry);
  if (ip) {
    if (!canonicalIpText(entry)) return { ok: false, reason: leadingZero(entry) };
    return { ok: true, entry: { kind: "network", ip, bits: ip.v === 4 ? 32 : 128 } };
  }
  const labels = entry.split(".");
  // An all-digit last label is an IP address typed wrong ("10.0.0", "10.0.0.256"), not a host name.
  if (entry.length <= 253 && labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1])) {
    return { ok: true, entry: { kind: "host", host: entry.toLowerCase() } };
  }
  return { ok: false, reason: `"${entry}" is not a host name, an IP address or a CIDR: ${ALLOW_ENTRY_HELP}` };
}

const leadingZero = (entry: string) => `"${entry}" has a number with a leading zero, which URL parsers read as octal: write it without the zero (${ALLOW_ENTRY_HELP})`;

/** No byte of a dotted IPv4 part is written with a leading zero ("010.0.0.1" is 8.0.0.1 to a URL parser). */
function canonicalIpText(text: string): boolean {
  const dotted = text.slice(text.lastIndexOf(":") + 1);
  return !dotted.includes(".") || dotted.split(".").every((b) => b === "0" || !b.startsWith("0"));
}

/** Entries that do not parse (stored before entries were checked) match nothing, whatever they look like. */
function isListed(host: string, ip: Ip | null, allow: readonly string[]): boolean {
  for (const raw of allow) {
    const parsed = parseAllowEntry(raw);
    if (!parsed.ok) continue;
    const entry = parsed.entry;
    if (entry.kind === "host") {
      if (entry.host === host.toLowerCase()) return true;
      continue;
    }
    if (ip && entry.ip.v === ip.v && inPrefix(ip.bytes, entry.ip.bytes, entry.bits)) return true;
  }
  return false;
}

function inPrefix(addr: number[], net: number[], bits: number): boolean {
  for (let i = 0; i < addr.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((addr[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
}

/** Why each saved entry is ignored by the check (entries saved before they were validated), for the Settings page. */
export function ignoredAllowEntries(entries: readonly string[]): string[] {
  return entries.flatMap((e) => {
    const parsed = parseAllowEntry(e);
    return parsed.ok ? [] : [parsed.reason];
  });
}
