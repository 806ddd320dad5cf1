"use client";
// The plan's manifests as one YAML file. Apart from the plan tabs so that the YAML library loads in its own chunk,
// beside the page rather than in its first load.
import { CodeBlock } from "@/components/ui/code-block";
import { manifestsYaml } from "./plan-yaml";

export function ManifestsYamlView({ manifests, fileStem }: { manifests: readonly object[]; fileStem: string }) {
  return (
    <CodeBlock
      code={manifestsYaml(manifests)}
      filename={`${fileStem}.yaml`}
      label="Generated Kubernetes manifests"
      mime="application/yaml"
    />
  );
}
