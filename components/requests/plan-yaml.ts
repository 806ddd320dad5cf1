// A plan's files as text (YAML manifests, infrastructure files): apart from the form's helpers so that the YAML
// library loads with the plan views, not with the form.
import { stringify } from "yaml";
import { isPlainObject } from "./request-form-model";

// Stored plans come back from jsonb with keys reordered; people read apiVersion, kind, metadata first.
const leadingKeys = [
  "apiVersion",
  "kind",
  "metadata",
  "name",
  "generateName",
  "namespace",
  "labels",
  "annotations",
  "spec",
  "data",
  "stringData",
  "type",
];

function withConventionalKeyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withConventionalKeyOrder);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  const ordered = [...leadingKeys.filter((k) => keys.includes(k)), ...keys.filter((k) => !leadingKeys.includes(k))];
  return Object.fromEntries(ordered.map((k) => [k, withConventionalKeyOrder(value[k])]));
}

/** The manifests as one multi-document YAML file, in apply order, apiVersion/kind/metadata first in each. */
export function manifestsYaml(manifests: readonly object[]): string {
  return (
    manifests
      .map((m) => stringify(withConventionalKeyOrder(JSON.parse(JSON.stringify(m))), { lineWidth: 0 }).trimEnd())
      .join("\n---\n") + "\n"
  );
}

export interface InfraFile {
  name: string;
  content: string;
}

/**
 * The files of the infrastructure part: Terraform for a cloud cluster, the kubeadm plan on premises, a
 * disaster-recovery plan's recovery files (under the paths its recovery steps name), else none.
 */
export function infrastructureFiles(config: Record<string, unknown>): {
  kind: "terraform" | "cluster_plan" | "recovery" | "none";
  files: InfraFile[];
} {
  if (isPlainObject(config.recovery_files)) {
    const files = Object.entries(config.recovery_files).filter((e): e is [string, string] => typeof e[1] === "string");
    return { kind: "recovery", files: files.map(([name, content]) => ({ name, content })) };
  }
  const cluster = config.cluster;
  if (!isPlainObject(cluster)) return { kind: "none", files: [] };
  if (cluster.kind === "terraform" && isPlainObject(cluster.files)) {
    const files = Object.entries(cluster.files).filter((e): e is [string, string] => typeof e[1] === "string");
    return { kind: "terraform", files: files.map(([name, content]) => ({ name, content })) };
  }
  if (cluster.kind === "cluster_plan") {
    const { kind: _kind, target: _target, ...rest } = cluster;
    return {
      kind: "cluster_plan",
      files: Object.entries(rest).map(([name, value]) => ({
        name: `${name}.yaml`,
        content: typeof value === "string" ? value : stringify(value, { lineWidth: 0 }),
      })),
    };
  }
  return { kind: "none", files: [] };
}
