// Uploaded YAML only has to carry apiVersion, kind and metadata.name; everything else can be any shape.
// Starting from real manifests (the hardened set and the reference design) and replacing fields at random
// places with junk reaches every check; the checker must never throw and its report must stay consistent.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { checkManifests } from "./check-manifests";
import { parseManifestsYaml } from "./parse-manifests";
import { cleanManifests } from "./__fixtures__/clean-manifests";
import { severities } from "./types";

const reference = parseManifestsYaml(
  fs.readFileSync(path.resolve(__dirname, "__fixtures__/reference-design.yaml"), "utf8"),
);
const seeds: KubernetesObject[] = [...cleanManifests(), ...(reference.ok ? reference.objects : [])];

type Key = string | number;
/** Every path to a value inside an object, except the identity fields the parser guarantees. */
function pathsOf(value: unknown, at: Key[] = []): Key[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, index) => pathsOf(item, [...at, index]))];
  if (value && typeof value === "object")
    return [at, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key]))];
  return [at];
}
const seedPaths = seeds.map((seed) =>
  pathsOf(seed).filter((p) => p.length > 0 && !["apiVersion", "kind", "metadata"].includes(String(p[0]))),
);

function setAt(target: unknown, at: Key[], value: unknown): void {
  let cursor = target as Record<Key, unknown>;
  for (const key of at.slice(0, -1)) cursor = cursor[key] as Record<Key, unknown>;
  cursor[at[at.length - 1]!] = value;
}

const junk = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    65536,
    "",
    "*",
    "ALL",
    "SYS_ADMIN",
    "Unconfined",
    "Unmasked",
    "nginx",
    "x:latest",
    "secrets",
    "escalate",
    "/etc",
  ),
  fc.string({ maxLength: 6 }),
  fc.array(fc.constantFrom<unknown>("*", 1, null, {}, "get"), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom("type", "add", "drop", "name", "value", "path"),
    fc.constantFrom<unknown>(true, "Unconfined", ["ALL"], 0, null),
    { maxKeys: 3 },
  ),
);

const mutatedSet = fc
  .array(fc.record({ seed: fc.nat(seeds.length - 1), pick: fc.nat(), value: junk }), { minLength: 1, maxLength: 8 })
  .map((mutations) => {
    const objects = structuredClone(seeds);
    for (const { seed, pick, value } of mutations) {
      const candidates = seedPaths[seed];
      const at = candidates![pick % candidates!.length];
      // A path may have vanished under an earlier mutation; then this one simply does not apply.
      try {
        setAt(objects[seed], at!, value);
      } catch {
        /* parent replaced by a scalar */
      }
    }
    return objects;
  });

describe("checkManifests on arbitrary shapes", () => {
  it("never throws, and its score and counts agree with its findings", () => {
    fc.assert(
      fc.property(mutatedSet, (objects) => {
        const report = checkManifests(objects);
        expect(report.score).toBeGreaterThanOrEqual(0);
        expect(report.score).toBeLessThanOrEqual(100);
        expect(severities.reduce((sum, s) => sum + report.counts[s], 0)).toBe(report.findings.length);
        if (report.findings.every((f) => f.severity === "info")) expect(report.score).toBe(100);
        else expect(report.score).toBeLessThan(100);
      }),
      { numRuns: 400 },
    );
  });

  it("reaches many different checks (so the property above exercises them)", () => {
    const checks = new Set<string>();
    fc.assert(
      fc.property(mutatedSet, (objects) => {
        for (const f of checkManifests(objects).findings) checks.add(f.check);
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(checks.size).toBeGreaterThanOrEqual(15);
  });
});
