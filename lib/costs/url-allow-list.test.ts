import { describe, expect, it } from "vitest";
import { checkAddress, checkUrlShape, ignoredAllowEntries, parseAllowEntry } from "./url-allow-list";

describe("Prometheus URL allow-list", () => {
  it.each([
    ["http://169.254.169.254/latest/meta-data", [], false],
    ["http://169.254.169.254:9090", ["169.254.0.0/16"], false], // metadata is refused even when listed
    ["http://2852039166/", [], false], // 169.254.169.254 written as one number
    ["http://0xA9FEA9FE/", [], false],
    ["http://[fd00:ec2::254]/", [], false], // AWS IMDS over IPv6 (unique local)
    ["http://[fe80::1]:9090", [], false],
    ["http://[::ffff:169.254.169.254]/", [], false],
    ["http://metadata.google.internal/computeMetadata/v1/", [], false],
    ["http://127.0.0.1:9090", [], false],
    ["http://127.0.0.1:9090", ["127.0.0.1"], true],
    ["http://localhost:9090", [], false],
    ["http://[::1]:9090", [], false],
    ["http://10.1.2.3:9090", [], false],
    ["http://10.1.2.3:9090", ["10.0.0.0/8"], true],
    ["http://172.20.0.5:9090", ["172.16.0.0/12"], true],
    ["http://192.168.1.10:9090", ["10.0.0.0/8"], false],
    ["http://8.8.8.8:9090", [], true],
    ["file:///etc/passwd", [], false],
    ["gopher://prometheus:70/", [], false],
    ["http://user:pw@prometheus.example.com/", [], false],
    ["not a url", [], false],
    ["https://prometheus.example.com", [], true],
  ] as [string, string[], boolean][])("%s with allow %j → %s", (url, allow, ok) => {
    expect(checkUrlShape(url, allow).ok).toBe(ok);
  });

  it("checks every resolved address of a hostname", () => {
    expect(checkAddress("10.0.0.7", "prometheus.monitoring.svc", []).ok).toBe(false);
    expect(checkAddress("10.0.0.7", "prometheus.monitoring.svc", ["prometheus.monitoring.svc"]).ok).toBe(true);
    expect(checkAddress("169.254.169.254", "evil.example.com", ["evil.example.com"]).ok).toBe(false);
    const denied = checkAddress("192.168.0.2", "p.internal", []);
    expect(denied.ok === false && denied.reason).toMatch(/allow-list/);
  });

  // Settings saved before entries were checked still reach the allow-list: a malformed prefix must match nothing.
  it.each([
    ["10.1.2.3", "192.168.0.0/-8"], // a negative prefix used to match every address
    ["127.0.0.1", "192.168.0.0/-8"],
    ["10.1.2.3", "10.0.0.0/abc"], // a non-numeric prefix used to act as the single host 10.0.0.0
    ["10.0.0.0", "10.0.0.0/abc"],
    ["10.0.0.0", "10.0.0.0/"],
    ["10.1.2.3", "10.0.0.0/8.5"],
    ["10.1.2.3", "10.0.0.0/33"],
    ["10.1.2.3", "0.0.0.0/0"],
    ["fd00::1", "::/0"],
    ["10.1.2.3", "10.0.0.0/8/8"],
  ])("does not let %s through on the malformed entry %j", (address, entry) => {
    expect(checkAddress(address, "prometheus.internal", [entry]).ok).toBe(false);
    expect(checkUrlShape(`http://${address.includes(":") ? `[${address}]` : address}:9090`, [entry]).ok).toBe(false);
  });

  it("still honours the valid entries next to a malformed one", () => {
    expect(checkAddress("10.1.2.3", "p.internal", ["192.168.0.0/-8", "10.0.0.0/8"]).ok).toBe(true);
    expect(checkAddress("192.168.1.1", "p.internal", ["192.168.0.0/-8", "10.0.0.0/8"]).ok).toBe(false);
    expect(checkAddress("fd00::5", "p.internal", ["fd00::/8"]).ok).toBe(true);
    expect(checkAddress("10.1.2.3", "P.Internal", ["p.internal"]).ok).toBe(true);
  });
});

describe("parseAllowEntry", () => {
  it.each([
    "prometheus",
    "prometheus.monitoring.svc",
    "Prometheus.Monitoring.SVC",
    "prometheus.monitoring.svc.cluster.local",
    "my_prometheus", // Docker Compose service names may hold "_"
    "localhost",
    "10.0.0.1",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "10.1.2.3/32",
    "10.1.2.3/1",
    "::1",
    "fd00::/8",
    "fd00:ec2::254/128",
    "::ffff:10.0.0.1",
  ])("accepts %j", (entry) => {
    expect(parseAllowEntry(entry)).toMatchObject({ ok: true });
  });

  it.each<[string, RegExp]>([
    ["192.168.0.0/-8", /prefix length that is not a whole number from 1 to 32/],
    ["10.0.0.0/abc", /prefix length that is not a whole number from 1 to 32/],
    ["10.0.0.0/", /prefix length/],
    ["10.0.0.0/ 8", /prefix length/],
    ["10.0.0.0/8.0", /prefix length/],
    ["10.0.0.0/33", /from 1 to 32/],
    ["fd00::/129", /from 1 to 128/],
    ["10.0.0.0/8/8", /prefix length/],
    ["0.0.0.0/0", /matches every address.*refused/],
    ["10.0.0.0/0", /matches every address.*refused/],
    ["::/0", /matches every address.*refused/],
    ["prometheus/8", /not a host name, an IP address or a CIDR/],
    ["300.0.0.0/8", /not a host name, an IP address or a CIDR/],
    ["010.0.0.1", /leading zero/],
    ["010.0.0.0/8", /leading zero/],
    ["10.0.0", /not a host name, an IP address or a CIDR/],
    ["10.0.0.256", /not a host name/],
    ["http://prometheus:9090", /is a URL: write only its host name or address/],
    ["prometheus:9090", /not a host name/],
    ["[::1]", /not a host name/],
    ["*.svc", /not a host name/],
    ["-prometheus", /not a host name/],
    ["prometheus..svc", /not a host name/],
    ["prom etheus", /not a host name/],
    [" 10.0.0.1", /not a host name/],
    ["", /not a host name/],
    [`${"a".repeat(64)}.svc`, /not a host name/],
  ])("refuses %j, naming it and what to write", (entry, reason) => {
    const parsed = parseAllowEntry(entry);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(reason);
    expect(parsed.reason).toContain(`"${entry}"`);
    expect(parsed.reason).toContain("10.0.0.0/8");
  });
});

describe("ignoredAllowEntries", () => {
  it("names each saved entry the check ignores, and only those", () => {
    const reasons = ignoredAllowEntries(["10.0.0.0/8", "192.168.0.0/-8", "prometheus.monitoring.svc", "10.0.0.0/abc"]);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain("192.168.0.0/-8");
    expect(reasons[1]).toContain("10.0.0.0/abc");
  });
});
