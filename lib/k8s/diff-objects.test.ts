import { describe, expect, it } from "vitest";
import { diffObjects } from "./diff-objects";

const desired = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "llm", namespace: "ml", labels: { "app.kubernetes.io/name": "llm" } },
  spec: {
    replicas: 2,
    template: {
      spec: { containers: [{ name: "server", image: "vllm:1", resources: { limits: { "nvidia.com/gpu": 1 } } }] },
    },
  },
};

// What the API server returns for the same object: server metadata, status and defaulted fields added.
const live = {
  ...structuredClone(desired),
  metadata: {
    ...structuredClone(desired.metadata),
    uid: "u",
    resourceVersion: "7",
    generation: 3,
    creationTimestamp: new Date("2026-01-01T00:00:00Z"),
    managedFields: [{ manager: "portal" }],
    annotations: { "deployment.kubernetes.io/revision": "2" },
  },
  spec: {
    ...structuredClone(desired.spec),
    revisionHistoryLimit: 10,
    template: {
      spec: {
        restartPolicy: "Always",
        containers: [
          {
            name: "server",
            image: "vllm:1",
            imagePullPolicy: "IfNotPresent",
            resources: { limits: { "nvidia.com/gpu": "1" } },
          },
        ],
      },
    },
  },
  status: { readyReplicas: 2 },
};

describe("diffObjects", () => {
  it("reports nothing for a live object that only adds server metadata, status and defaults", () => {
    expect(diffObjects(desired, live)).toEqual([]);
  });

  it.each([
    [
      "a changed replica count",
      (o: typeof live) => void (o.spec.replicas = 5),
      { path: "spec.replicas", desired: 2, live: 5 },
    ],
    [
      "a changed image inside a named list",
      (o: typeof live) => void (o.spec.template.spec.containers[0]!.image = "vllm:2"),
      { path: "spec.template.spec.containers[name=server].image", desired: "vllm:1", live: "vllm:2" },
    ],
    [
      "a removed label with a dotted key",
      (o: typeof live) => void delete (o.metadata.labels as Record<string, string>)["app.kubernetes.io/name"],
      { path: 'metadata.labels["app.kubernetes.io/name"]', desired: "llm", live: undefined },
    ],
  ])("reports %s with its path and both values", (_name, mutate, expected) => {
    const changed = structuredClone(live);
    mutate(changed);
    expect(diffObjects(desired, changed)).toEqual([expected]);
  });

  it("reports a container someone added beside the desired ones", () => {
    const changed = structuredClone(live);
    changed.spec.template.spec.containers.push({
      name: "sidecar",
      image: "x",
      imagePullPolicy: "Always",
      resources: { limits: { "nvidia.com/gpu": "0" } },
    });
    expect(diffObjects(desired, changed).map((d) => d.path)).toEqual(["spec.template.spec.containers[name=sidecar]"]);
  });

  it("reports every desired field when nothing is live", () => {
    expect(diffObjects(desired, undefined).map((d) => d.path)).toEqual([
      "metadata.name",
      "metadata.namespace",
      "metadata.labels",
      "spec",
    ]);
  });
});
