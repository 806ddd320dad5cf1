import { describe, expect, it } from "vitest";
import { cachedManifestsYaml } from "./manifests-yaml-cache";
import { manifestsYaml } from "./plan-yaml";

const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });

describe("cachedManifestsYaml", () => {
  it("renders a plan's manifests as the YAML view does, and serves the same plan from the cache", () => {
    const first = cachedManifestsYaml("req-a:hash-1", [configMap("a")]);
    expect(first).toBe(manifestsYaml([configMap("a")]));
    // The key names the stored plan: the same key is not rendered again.
    expect(cachedManifestsYaml("req-a:hash-1", [configMap("other")])).toBe(first);
    expect(cachedManifestsYaml("req-a:hash-2", [configMap("b")])).toBe(manifestsYaml([configMap("b")]));
  });

  it("keeps the 100 plans used last, dropping the least recently used", () => {
    cachedManifestsYaml("lru:0", [configMap("zero")]);
    for (let i = 1; i <= 99; i++) cachedManifestsYaml(`lru:${i}`, [configMap(`n${i}`)]);
    cachedManifestsYaml("lru:0", []); // used again: now the most recent
    cachedManifestsYaml("lru:100", [configMap("n100")]); // evicts lru:1
    expect(cachedManifestsYaml("lru:0", [configMap("changed")])).toBe(manifestsYaml([configMap("zero")]));
    expect(cachedManifestsYaml("lru:1", [configMap("changed")])).toBe(manifestsYaml([configMap("changed")]));
  });
});
