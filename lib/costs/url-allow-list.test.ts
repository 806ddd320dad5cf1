import { describe, expect, it } from "vitest";
import { checkAddress, checkUrlShape } from "./url-allow-list";

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
});
