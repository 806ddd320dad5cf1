import { describe, expect, it } from "vitest";
import { judgeFetchedUrls } from "./fetched-urls";

describe("judgeFetchedUrls", () => {
  it("says which configured URLs the list allows, why the others are refused, and when DNS decides", () => {
    const allow = ["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"];
    expect(
      judgeFetchedUrls(
        [
          { source: "Prometheus URL", url: "http://prometheus.monitoring.svc:9090" },
          { source: "DR plan a, step 1", url: "http://10.1.2.3:8080/health" },
          { source: "DR plan a, step 2", url: "http://model.ml-inference.svc:8080/health" },
          { source: "DR plan b, step 1", url: "http://169.254.169.254/latest/meta-data" },
          { source: "AWS endpoint", url: "https://ce.example.com" },
        ],
        allow,
      ),
    ).toEqual([
      { source: "Prometheus URL", url: "http://prometheus.monitoring.svc:9090", allowed: true },
      { source: "DR plan a, step 1", url: "http://10.1.2.3:8080/health", allowed: true },
      {
        source: "DR plan a, step 2",
        url: "http://model.ml-inference.svc:8080/health",
        allowed: true,
        reason: expect.stringMatching(/^only if model\.ml-inference\.svc resolves into a listed network/),
      },
      {
        source: "DR plan b, step 1",
        url: "http://169.254.169.254/latest/meta-data",
        allowed: false,
        reason: expect.stringMatching(/^DR plan b, step 1 .*link-local.*never fetched/),
      },
      {
        source: "AWS endpoint",
        url: "https://ce.example.com",
        allowed: false,
        reason: expect.stringMatching(
          /ce\.example\.com port 443 is not on the URL allow-list.*as ce\.example\.com:443/,
        ),
      },
    ]);
  });
});
