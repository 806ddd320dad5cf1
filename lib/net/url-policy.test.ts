import { describe, expect, it } from "vitest";
import { checkResolvedAddress, checkUrl, ignoredAllowEntries, parseAllowEntry, type CheckedUrl } from "./url-policy";

const ok = (url: string, allow: string[]) => checkUrl(url, allow).ok;
const reason = (url: string, allow: string[]) => {
  const v = checkUrl(url, allow);
  return v.ok ? "" : v.reason;
};

// Every spelling of an address that must never be fetched, with the broadest list that could seem to allow it.
describe("URL policy: never fetched, whatever the list says", () => {
  it.each<[string, string[], RegExp]>([
    ["http://169.254.169.254/latest/meta-data", ["169.254.0.0/16:80"], /link-local/],
    ["http://169.254.169.254:9090/", ["169.254.169.254:*"], /link-local/],
    ["http://2852039166/", ["169.254.0.0/16:*"], /link-local/], // 169.254.169.254 as one decimal number
    ["http://0xA9FEA9FE/", ["169.254.0.0/16:*"], /link-local/], // ...as one hex number
    ["http://0xA9.0xFE.0xA9.0xFE/", ["169.254.0.0/16:*"], /link-local/], // ...hex per byte
    ["http://0251.0376.0251.0376/", ["169.254.0.0/16:*"], /link-local/], // ...octal per byte
    ["http://169.254.43518/", ["169.254.0.0/16:*"], /link-local/], // ...a.b.c with a 16-bit last part
    ["http://[fe80::1]:9090/", ["[fe80::/10]:*"], /link-local/],
    ["http://[febf::1]/", ["[fe80::/10]:*"], /link-local/], // the top of fe80::/10
    ["http://[fec0::1]/", ["[fec0::/10]:*"], /site-local/],
    ["http://[fd00:ec2::254]/", ["[fd00::/8]:*"], /AWS instance metadata/],
    ["http://[fd00:0ec2:0000:0000:0000:0000:0000:0254]/", ["[fd00::/8]:*"], /AWS instance metadata/], // written out
    ["http://[fd00:ec2::253]/", ["[fd00::/8]:*"], /AWS DNS/],
    ["http://[fd20:ce::254]/", ["[fd00::/8]:*"], /Google Cloud/],
    [
      "http://[::ffff:169.254.169.254]/",
      ["[::ffff:0:0/96]:*", "169.254.0.0/16:*"],
      /IPv4-mapped form of 169\.254\.169\.254, link-local/,
    ],
    ["http://[::ffff:a9fe:a9fe]/", ["[::ffff:0:0/96]:*"], /IPv4-mapped form of 169\.254\.169\.254/],
    ["http://[::169.254.169.254]/", ["[::/96]:*"], /IPv4-compatible form of 169\.254\.169\.254/],
    ["http://[::ffff:0:169.254.169.254]/", ["[::ffff:0:0:0/96]:*"], /IPv4-translated form of 169\.254\.169\.254/],
    ["http://[2002:a9fe:a9fe::1]/", ["[2002::/16]:*"], /6to4 form of 169\.254\.169\.254/],
    ["http://[64:ff9b::a9fe:a9fe]/", ["[64:ff9b::/96]:*"], /NAT64 form of 169\.254\.169\.254/],
    ["http://[64:ff9b::169.254.169.254]/", ["[64:ff9b::/96]:*"], /NAT64 form/],
    ["http://[64:ff9b:1::a9fe:a9fe]/", ["[64:ff9b::/32]:*"], /local-use NAT64/],
    ["http://[64:ff9b:1:ffff::1]/", ["[64:ff9b::/32]:*"], /local-use NAT64/],
    ["http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", ["[2001::/16]:*"], /Teredo/],
    ["http://198.18.0.1/", ["198.18.0.0/15:*"], /198\.18\.0\.0\/15/],
    ["http://198.19.255.255/", ["198.18.0.0/15:*"], /198\.18\.0\.0\/15/],
    ["http://240.0.0.1/", ["240.0.0.0/4:*"], /240\.0\.0\.0\/4/],
    ["http://255.255.255.255/", ["240.0.0.0/4:*"], /broadcast/],
    ["http://0.0.0.0:9090/", ["0.0.0.0/8:*"], /0\.0\.0\.0\/8/],
    ["http://0/", ["0.0.0.0/8:*"], /0\.0\.0\.0\/8/], // "0" is 0.0.0.0 to a URL parser
    ["http://[::]/", ["[::/1]:*"], /unspecified/],
    ["http://[::ffff:0.0.0.0]/", ["[::ffff:0:0/96]:*"], /0\.0\.0\.0\/8/],
    ["http://224.0.0.1/", ["224.0.0.0/4:*"], /multicast/],
    ["http://[ff02::1]/", ["[ff00::/8]:*"], /multicast/],
    ["http://100.100.100.200/", ["100.64.0.0/10:*"], /Alibaba/],
    ["http://metadata.google.internal/computeMetadata/v1/", ["metadata.google.internal:80"], /metadata service/],
    ["http://METADATA.google.internal./", ["metadata.google.internal:*"], /metadata service/], // case and trailing dot
    ["http://metadata/", ["metadata:80"], /metadata service/],
    ["http://instance-data.ec2.internal/", ["instance-data.ec2.internal:80"], /metadata service/],
  ])("refuses %s even with allow %j", (url, allow, why) => {
    expect(reason(url, allow)).toMatch(why);
    expect(reason(url, allow)).toMatch(/never fetched/);
  });
});

describe("URL policy: host and port must be listed", () => {
  it.each<[string, string[], boolean]>([
    ["http://127.0.0.1:9090/", [], false],
    ["http://127.0.0.1:9090/", ["127.0.0.1:9090"], true],
    ["http://127.0.0.1:9091/", ["127.0.0.1:9090"], false], // another port of a listed host
    ["http://127.0.0.1:9091/", ["127.0.0.1:*"], true],
    ["http://[::1]:9090/", ["[::1]:9090"], true],
    ["http://[::ffff:127.0.0.1]:9090/", ["127.0.0.1:9090"], true], // judged as the IPv4 it carries
    ["http://[::ffff:127.0.0.1]:9090/", [], false],
    ["http://10.1.2.3:9090/", ["10.0.0.0/8:9090"], true],
    ["http://10.1.2.3:8080/", ["10.0.0.0/8:9090"], false],
    ["http://192.168.1.10:9090/", ["10.0.0.0/8:9090"], false],
    ["http://8.8.8.8/", [], false], // public addresses need listing too
    ["http://8.8.8.8/", ["8.8.8.8:80"], true],
    ["https://prometheus.example.com/", ["prometheus.example.com:443"], true], // the scheme's port
    ["https://prometheus.example.com/", ["prometheus.example.com:80"], false],
    ["http://Prometheus.Monitoring.SVC:9090/api", ["prometheus.monitoring.svc:9090"], true],
    ["http://prometheus.monitoring.svc.:9090/", ["prometheus.monitoring.svc:9090"], true],
    ["http://prometheus.monitoring.svc.evil.com:9090/", ["prometheus.monitoring.svc:9090"], false],
    ["http://localhost:3000/api/healthz", ["localhost:3000"], true],
    ["http://localhost:3000/api/healthz", ["127.0.0.1:3001"], false],
    ["file:///etc/passwd", ["localhost:*"], false],
    ["gopher://prometheus:70/", ["prometheus:70"], false],
    ["ftp://prometheus:21/", ["prometheus:21"], false],
    ["http://user:pw@prometheus:9090/", ["prometheus:9090"], false],
    ["http://user@prometheus:9090/", ["prometheus:9090"], false],
    ["not a url", ["prometheus:9090"], false],
  ])("%s with allow %j → %s", (url, allow, expected) => {
    expect(ok(url, allow)).toBe(expected);
  });

  it("names the URL, the entry to add and where, when a host is not listed", () => {
    expect(checkUrl("http://prometheus.monitoring.svc:9090/x", [], "prometheusUrl")).toEqual({
      ok: false,
      reason:
        "prometheusUrl http://prometheus.monitoring.svc:9090: prometheus.monitoring.svc port 9090 is not on the URL allow-list: a platform admin can add it in Settings → URL allow-list as prometheus.monitoring.svc:9090",
      listable: true,
    });
    expect(checkUrl("http://169.254.169.254/", ["169.254.169.254:80"])).not.toHaveProperty("listable");
    expect(reason("http://127.0.0.1:1/", [])).toContain("as 127.0.0.1:1");
    expect(reason("http://[::1]:1/", [])).toContain("as [::1]:1");
    expect(checkUrl("http://p:1/", [], "URL", "add it to --allow")).toMatchObject({
      reason: expect.stringContaining("add it to --allow as p:1"),
    });
  });

  it("skips malformed stored entries but keeps the valid ones beside them", () => {
    expect(ok("http://10.1.2.3:9090/", ["192.168.0.0/-8:9090", "10.0.0.0/8:9090"])).toBe(true);
    expect(ok("http://192.168.1.1:9090/", ["192.168.0.0/-8:9090", "10.0.0.0/8:9090"])).toBe(false);
    expect(ok("http://10.1.2.3:9090/", ["0.0.0.0/0:9090"])).toBe(false);
    expect(ok("http://10.1.2.3:9090/", ["10.0.0.0/8"])).toBe(false); // an old entry without a port
  });
});

describe("URL policy at connect time: each address DNS gives", () => {
  const checked = (url: string, allow: string[]) => {
    const v = checkUrl(url, allow);
    if (!v.ok) throw new Error(v.reason);
    return v as CheckedUrl;
  };
  it.each<[string, string[], string, boolean, RegExp?]>([
    // A listed name may resolve to any address that is not never-fetched...
    ["http://prom.internal:9090/", ["prom.internal:9090"], "10.0.0.7", true],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "127.0.0.1", true],
    // ...but never to metadata or link-local, in any spelling.
    ["http://prom.internal:9090/", ["prom.internal:9090"], "169.254.169.254", false, /link-local.*never fetched/],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "::ffff:169.254.169.254", false, /IPv4-mapped/],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "fd00:ec2::254", false, /AWS instance metadata/],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "64:ff9b::a9fe:a9fe", false, /NAT64/],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "2002:a9fe:a9fe::", false, /6to4/],
    ["http://prom.internal:9090/", ["prom.internal:9090"], "fe80::1%eth0", false, /not an IP address/],
    // An unlisted name passes only on an address in a listed network with that port.
    ["http://svc.internal:9090/", ["10.0.0.0/8:9090"], "10.0.0.7", true],
    [
      "http://svc.internal:9090/",
      ["10.0.0.0/8:9090"],
      "127.0.0.1",
      false,
      /svc\.internal port 9090 is not on the URL allow-list.*127\.0\.0\.1 is in no listed network/,
    ],
    ["http://svc.internal:9090/", ["10.0.0.0/8:9090"], "::ffff:10.0.0.7", true],
  ])("%s with allow %j resolving to %s → %s", (url, allow, address, expected, why) => {
    const verdict = checkResolvedAddress(checked(url, allow), address, allow);
    expect(verdict.ok).toBe(expected);
    if (why) expect(verdict.ok === false && verdict.reason).toMatch(why);
  });

  it("refuses an unlisted name before any lookup when no network entry has its port", () => {
    expect(reason("http://svc.internal:9090/", ["10.0.0.0/8:8080"])).toMatch(
      /svc\.internal port 9090 is not on the URL allow-list/,
    );
  });
});

describe("parseAllowEntry", () => {
  it.each<[string, object]>([
    ["prometheus.monitoring.svc:9090", { kind: "host", host: "prometheus.monitoring.svc", port: 9090 }],
    ["Prometheus.Monitoring.SVC:9090", { kind: "host", host: "prometheus.monitoring.svc", port: 9090 }],
    ["my_prometheus:9090", { kind: "host", host: "my_prometheus" }], // Docker Compose service names may hold "_"
    ["localhost:*", { kind: "host", host: "localhost", port: null }],
    ["10.0.0.1:80", { kind: "network", bits: 32, port: 80 }],
    ["10.0.0.0/8:9090", { kind: "network", bits: 8, port: 9090 }],
    ["10.1.2.3/8:65535", { kind: "network", bits: 8, port: 65535 }],
    ["[2002:a00::/24]:80", { kind: "network", bits: 24 }], // 6to4 form of 10.0.0.0/8
    ["[::ffff:10.0.0.0/104]:80", { kind: "network", bits: 104 }], // IPv4-mapped 10.0.0.0/8
    ["[2001:db8::/32]:443", { kind: "network", bits: 32 }],
    ["[::1]:9090", { kind: "network", bits: 128 }],
    ["[fd00::/8]:443", { kind: "network", bits: 8, port: 443 }],
    ["[::ffff:10.0.0.1]:80", { kind: "network", bits: 128 }],
  ])("accepts %j", (entry, expected) => {
    expect(parseAllowEntry(entry)).toMatchObject({ ok: true, entry: expected });
  });

  it.each<[string, RegExp]>([
    ["prometheus.monitoring.svc", /has no port/],
    ["10.0.0.0/8", /has no port/],
    ["prometheus:", /has no port/],
    ["[::1]", /has no port/],
    ["prometheus:0", /port "0"/],
    ["prometheus:65536", /port "65536"/],
    ["prometheus:http", /port "http"/],
    ["::1:9090", /IPv6 address without brackets/],
    ["[10.0.0.1]:80", /IPv4 address in brackets/],
    ["192.168.0.0/-8:80", /prefix length that is not a whole number from 1 to 32/],
    ["10.0.0.0/abc:80", /prefix length/],
    ["10.0.0.0/33:80", /from 1 to 32/],
    ["[fd00::/129]:80", /from 1 to 128/],
    ["0.0.0.0/0:80", /matches every address/],
    ["[::/0]:*", /matches every address/],
    // Halves of everything are everything: short prefixes are refused, not only /0.
    ["0.0.0.0/1:*", /prefix shorter than \/8/],
    ["128.0.0.0/1:*", /prefix shorter than \/8/],
    ["10.0.0.0/7:80", /prefix shorter than \/8/],
    ["[8000::/1]:*", /prefix shorter than \/8/],
    ["[::/7]:*", /prefix shorter than \/8/],
    // IPv6 networks that hold IPv4 addresses meet the IPv4 rules.
    ["[::/8]:*", /every IPv4 address in its IPv4-mapped form/],
    ["[2000::/8]:*", /every IPv4 address in its 6to4 form/],
    ["[::ffff:0:0/96]:*", /every IPv4 address in its IPv4-mapped form/],
    ["[::ffff:0:0/100]:*", /IPv4-mapped form of an IPv4 network shorter than \/8/],
    ["[2002::/20]:*", /6to4 form of an IPv4 network shorter than \/8/],
    // Entries that can never be fetched are refused when saved, saying so.
    ["169.254.169.254:80", /link-local.*never fetched, so listing it has no effect/],
    ["169.254.0.0/16:*", /link-local.*never fetched/],
    ["169.254.1.0/24:80", /link-local.*never fetched/],
    ["100.100.100.200:80", /metadata.*never fetched/],
    ["[fe80::/64]:*", /link-local.*never fetched/],
    ["[fd00:ec2::254]:80", /AWS instance metadata.*never fetched/],
    ["[::ffff:169.254.169.254]:80", /IPv4-mapped form of an IPv4 network inside a range that is link-local/],
    ["[2002:a9fe::/32]:80", /6to4 form of an IPv4 network inside a range that is link-local/],
    ["metadata.google.internal:80", /cloud metadata service, which is never fetched/],
    ["Metadata.Google.Internal:*", /cloud metadata service/],
    ["prometheus/8:80", /not a host name, an IP address or a CIDR/],
    ["300.0.0.0/8:80", /not a host name/],
    ["010.0.0.1:80", /leading zero/],
    ["10.0.0:80", /not a host name/],
    ["http://prometheus:9090", /is a URL/],
    ["*.svc:80", /not a host name/],
    ["-prometheus:80", /not a host name/],
    ["prom etheus:80", /not a host name/],
    ["", /has no port/],
  ])("refuses %j, naming it and what to write", (entry, why) => {
    const parsed = parseAllowEntry(entry);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(why);
    expect(parsed.reason).toContain(`"${entry}"`);
    expect(parsed.reason).toContain("prometheus.monitoring.svc:9090");
  });
});

describe("ignoredAllowEntries", () => {
  it("names each saved entry the check ignores, and only those", () => {
    const reasons = ignoredAllowEntries([
      "10.0.0.0/8:80",
      "192.168.0.0/-8:80",
      "prometheus.monitoring.svc:9090",
      "10.0.0.0/8",
    ]);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain("192.168.0.0/-8");
    expect(reasons[1]).toContain('"10.0.0.0/8" has no port');
  });
});
