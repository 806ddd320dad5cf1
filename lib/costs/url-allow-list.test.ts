import { describe, expect, it } from "vitest";
import { checkAddress, checkUrlShape, ignoredAllowEntries, parseAllowEntry } from "./url-allow-list";

describe("Prometheus URL allow-list", () => {
  it.each([
    ["http://169.254.169.254/latest/meta-data", [], false],
    ["http://169.254.169.254:9090", ["169.254.0.0/16"], false], // metadata is refused even when listed
    ["http://2852039166/", [], false], // 169.254.169.254 written as one number
    ["http://0xA9FEA9FE/", [], false],
    ["http://[fd00:ec2::254]/", [], false], // AWS IMDS over IPv6 (unique local)
    ["http://[fd00:ec2::254]/", ["fd00::/8"], false], // ...refused even when its range is listed
    ["http://[64:ff9b::a9fe:a9fe]/", [], false], // 169.254.169.254 through NAT64
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

  // The clouds' IPv6 metadata addresses are unique-local, so a listed fd00::/8 (a pod range, say) must not open them.
  it.each<[string, string[]]>([
    ["fd00:ec2::254", ["fd00::/8"]], // AWS instance metadata (IMDS) over IPv6
    ["fd00:ec2::254", ["fd00:ec2::254/128"]], // refused even when listed exactly
    ["fd00:ec2::254", ["prometheus.internal"]], // ...or when the name that resolves to it is listed
    ["fd00:0ec2:0000:0000:0000:0000:0000:0254", ["fd00::/8"]], // the same address written out in full
    ["fd00:ec2::253", ["fd00::/8"]], // AWS DNS resolver over IPv6
    ["fd20:ce::254", ["fd00::/8"]], // Google Cloud metadata server over IPv6
  ])("refuses the cloud metadata address %s even with allow %j, saying so", (address, allow) => {
    const verdict = checkAddress(address, "prometheus.internal", allow);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.reason).toMatch(/cloud metadata address.*never allowed/);
    const shape = checkUrlShape(`http://[${address}]:9090`, allow);
    expect(shape.ok === false && shape.reason).toMatch(/cloud metadata address.*never allowed/);
  });

  it("still allows the rest of a listed unique-local range next to the metadata addresses", () => {
    expect(checkAddress("fd00:ec2::255", "p.internal", ["fd00::/8"]).ok).toBe(true);
    expect(checkAddress("fd20:ce::253", "p.internal", ["fd00::/8"]).ok).toBe(true);
  });

  // NAT64 (64:ff9b::/96) and IPv4-mapped addresses reach the IPv4 address in their last 32 bits.
  it.each<[string, string[]]>([
    ["64:ff9b::a9fe:a9fe", []], // 169.254.169.254 through NAT64
    ["64:ff9b::169.254.169.254", ["64:ff9b::/96"]], // refused even when the NAT64 prefix is listed
    ["64:ff9b::a9fe:a9fe", ["169.254.0.0/16"]],
    ["::ffff:a9fe:a9fe", ["::ffff:0:0/96"]],
  ])("refuses %s, metadata inside IPv6, with allow %j", (address, allow) => {
    const verdict = checkAddress(address, "prometheus.internal", allow);
    expect(verdict.ok === false && verdict.reason).toMatch(/link-local .*\(IPv4 169\.254\.169\.254\).*never allowed/);
    expect(checkUrlShape(`http://[${address}]:9090`, allow).ok).toBe(false);
  });

  it.each<[string, string[], boolean]>([
    ["64:ff9b::808:808", [], true], // 8.8.8.8 through NAT64 is public
    ["64:ff9b::7f00:1", [], false], // 127.0.0.1 through NAT64 is loopback
    ["64:ff9b::a00:5", [], false], // 10.0.0.5 through NAT64 is private...
    ["64:ff9b::a00:5", ["10.0.0.0/8"], true], // ...and is let through by the IPv4 range it is in
    ["64:ff9b::a00:5", ["64:ff9b::/96"], true], // ...or by the IPv6 range it is written in
    ["::ffff:10.0.0.5", ["10.0.0.0/8"], true],
    ["64:ff9b:1::a00:5", [], true], // not the well-known /96: an ordinary IPv6 address
  ])("checks %s with allow %j as the IPv4 address inside it → %s", (address, allow, ok) => {
    expect(checkAddress(address, "prometheus.internal", allow).ok).toBe(ok);
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
    "fd00:ec2::254/128", // parses, but the metadata address it names is still refused when checked
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
