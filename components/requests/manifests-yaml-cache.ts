import "server-only";
// The request page's YAML, rendered once per stored plan rather than on every view: turning a plan's objects into
// YAML costs tens of milliseconds of CPU, and a stored plan never changes under its hash.
import { manifestsYaml } from "./plan-yaml";

const MAX_ENTRIES = 100;
const rendered = new Map<string, string>();

/** The manifests as one YAML file; `planKey` names the stored plan (its request and hash) they come from. */
export function cachedManifestsYaml(planKey: string, manifests: readonly object[]): string {
  const hit = rendered.get(planKey);
  if (hit !== undefined) {
    // Re-inserted: a Map iterates in insertion order, so the first key is always the least recently used.
    rendered.delete(planKey);
    rendered.set(planKey, hit);
    return hit;
  }
  const yaml = manifestsYaml(manifests);
  rendered.set(planKey, yaml);
  if (rendered.size > MAX_ENTRIES) rendered.delete(rendered.keys().next().value!);
  return yaml;
}
