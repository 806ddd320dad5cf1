import { describe, expect, it } from "vitest";
import { isSameApiServer, normalizeApiServerUrl } from "./cluster-target";

describe("isSameApiServer", () => {
  it.each<[string, string, boolean]>([
    ["https://k8s.example.com:6443", "https://k8s.example.com:6443", true],
    ["https://k8s.example.com:6443/", "https://k8s.example.com:6443", true],
    ["HTTPS://K8S.Example.com:6443", "https://k8s.example.com:6443", true],
    ["https://k8s.example.com:443", "https://k8s.example.com", true],
    ["http://127.0.0.1:80", "http://127.0.0.1", true],
    ["https://rancher.example.com/k8s/clusters/c-1/", "https://rancher.example.com/k8s/clusters/c-1", true],
    // Another port, scheme, host or proxy path is another server: the credentials must not go there.
    ["https://k8s.example.com:6444", "https://k8s.example.com:6443", false],
    ["http://k8s.example.com:6443", "https://k8s.example.com:6443", false],
    ["https://k8s.example.com.evil.test:6443", "https://k8s.example.com:6443", false],
    ["https://rancher.example.com/k8s/clusters/c-2", "https://rancher.example.com/k8s/clusters/c-1", false],
    ["http://127.0.0.1:18080", "http://127.0.0.1:6443", false],
    ["not a url", "not a url", false],
    ["file:///etc/passwd", "file:///etc/passwd", false],
  ])("%s vs %s → %s", (a, b, same) => {
    expect(isSameApiServer(a, b)).toBe(same);
  });

  it("drops what client-node ignores (query, fragment) but keeps the path's case", () => {
    expect(normalizeApiServerUrl("https://k8s.example.com:6443/Proxy/?x=1#y")).toBe(
      "https://k8s.example.com:6443/Proxy",
    );
  });
});
