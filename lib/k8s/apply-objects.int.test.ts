import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubernetesApiDouble } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { startDoubleWithClient } from "@/test-support/k8s-api-double/start-double-with-client";
import { type ApplyObjectsOptions, type ObjectApplyResult, applyObjects } from "./apply-objects.server";
import type { KubernetesClient } from "./create-client.server";
import { diffObjects } from "./diff-objects";
import type { KubernetesObject } from "./types";

let double: KubernetesApiDouble;
let client: KubernetesClient;
let sleeps: number[];

beforeEach(async () => {
  ({ double, client } = await startDoubleWithClient());
  sleeps = [];
});
afterEach(() => double.close());

const namespace: KubernetesObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-serving" } };
const configMap = (name: string): KubernetesObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "ml-serving" },
  data: { MODEL: "llama" },
});
const deployment = (replicas = 2): KubernetesObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "llm", namespace: "ml-serving", labels: { app: "llm" } },
  spec: {
    replicas,
    selector: { matchLabels: { app: "llm" } },
    template: { metadata: { labels: { app: "llm" } }, spec: { containers: [{ name: "server", image: "vllm:0.6.3" }] } },
  },
});

function run(objects: KubernetesObject[], extra: Partial<ApplyObjectsOptions> = {}) {
  const seen: ObjectApplyResult[] = [];
  const promise = applyObjects(client, objects, {
    fieldManager: "ml-portal",
    onResult: (r) => void seen.push(r),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    ...extra,
  });
  return promise.then((report) => ({ report, seen }));
}
const outcomes = (results: ObjectApplyResult[]) => results.map((r) => `${r.ref.kind}/${r.ref.name}:${r.outcome}`);
const realApplies = () => double.controls.requests().filter((r) => r.method === "PATCH" && !r.dryRun);

describe("applyObjects", () => {
  it("creates, then configures what changed, then reports everything unchanged on a repeat", async () => {
    const first = await run([deployment(2), configMap("cfg"), namespace]);
    expect(outcomes(first.report.applied)).toEqual([
      "Namespace/ml-serving:created",
      "ConfigMap/cfg:created",
      "Deployment/llm:created",
    ]);
    expect(first.report.dryRun.map((r) => r.outcome)).toEqual(["created", "created", "created"]);

    const second = await run([namespace, configMap("cfg"), deployment(3)]);
    expect(outcomes(second.report.applied)).toEqual([
      "Namespace/ml-serving:unchanged",
      "ConfigMap/cfg:unchanged",
      "Deployment/llm:configured",
    ]);
    expect(second.report.dryRun[2]!.changes).toEqual([{ path: "spec.replicas", desired: 3, live: 2 }]);

    const before = double.state.currentResourceVersion();
    const third = await run([namespace, configMap("cfg"), deployment(3)]);
    expect(third.report.applied.every((r) => r.outcome === "unchanged")).toBe(true);
    expect(double.state.currentResourceVersion()).toBe(before);
  });

  it("shows in the dry-run the fields an apply would remove because the plan no longer sets them", async () => {
    await run([namespace, { ...configMap("cfg"), data: { MODEL: "llama", BATCH: "8" } }]);
    const { report } = await run([namespace, configMap("cfg")], { dryRun: true });
    expect(report.dryRun[1]).toMatchObject({
      outcome: "configured",
      changes: [{ path: "data.BATCH", desired: undefined, live: "8" }],
    });
    const applied = await run([namespace, configMap("cfg")]);
    expect(applied.report.applied[1]!.outcome).toBe("configured");
  });

  it("stops on a conflict with another manager, naming field and manager, and never forces on its own", async () => {
    await run([namespace]);
    await applyObjects(client, [deployment(5)], { fieldManager: "kubectl" });
    const { report } = await run([namespace, deployment(2)]);
    expect(report.ok).toBe(false);
    const failed = [...report.dryRun, ...report.applied].find((r) => r.outcome === "failed")!;
    expect(failed.failure?.code).toBe(409);
    expect(failed.failure?.conflicts).toEqual([{ field: ".spec.replicas", manager: "kubectl" }]);
    expect(failed.failure?.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(realApplies().every((r) => r.query.force !== "true")).toBe(true);
    const live = double.state.get(double.state.findByKind("apps/v1", "Deployment")!, "ml-serving", "llm")!;
    expect((live.spec as { replicas: number }).replicas).toBe(5);
  });

  it("takes the conflicting fields when forced", async () => {
    await run([namespace]);
    await applyObjects(client, [deployment(5)], { fieldManager: "kubectl" });
    const { report } = await run([deployment(2)], { force: true });
    expect(outcomes(report.applied)).toEqual(["Deployment/llm:configured"]);
    const live = double.state.get(double.state.findByKind("apps/v1", "Deployment")!, "ml-serving", "llm")!;
    expect((live.spec as { replicas: number }).replicas).toBe(2);
  });

  it("retries a 500 on the 3rd of 5 objects, then records it failed while objects 1–2 stay recorded", async () => {
    double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      nth: 3,
      times: Infinity,
      action: { type: "status", code: 500, message: "etcdserver: request timed out" },
    });
    const { report, seen } = await run([namespace, configMap("a"), configMap("b"), configMap("c"), configMap("d")]);
    expect(outcomes(seen.filter((r) => r.phase === "apply"))).toEqual([
      "Namespace/ml-serving:created",
      "ConfigMap/a:created",
      "ConfigMap/b:failed",
      "ConfigMap/c:skipped",
      "ConfigMap/d:skipped",
    ]);
    const failed = report.applied[2];
    expect(failed!.attempts).toBe(5);
    expect(failed!.failure).toMatchObject({
      code: 500,
      reason: "InternalError",
      message: "etcdserver: request timed out",
    });
    expect(sleeps).toHaveLength(4);
    const cm = double.state.findByKind("v1", "ConfigMap")!;
    expect(double.state.list(cm, "ml-serving").map((o) => o.metadata.name)).toEqual(["a"]);
  });

  it("recovers from one 500 by retrying", async () => {
    double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      nth: 2,
      action: { type: "status", code: 503 },
    });
    const { report } = await run([namespace, configMap("a")]);
    expect(report.ok).toBe(true);
    expect(report.applied.map((r) => r.attempts)).toEqual([1, 2]);
  });

  it("sends no real apply when the dry-run is rejected with 422", async () => {
    const { report } = await run([namespace, configMap("a"), deployment(-1)]);
    expect(report).toMatchObject({ ok: false, failedPhase: "dry-run", applied: [] });
    const invalid = report.dryRun.find((r) => r.outcome === "failed")!;
    expect(invalid.failure).toMatchObject({ code: 422, reason: "Invalid" });
    expect(invalid.failure?.message).toContain("spec.replicas: Invalid value: -1");
    expect(realApplies()).toEqual([]);
    expect(double.controls.requests().some((r) => r.method === "PATCH" && r.dryRun)).toBe(true);
  });

  it("retries a dropped connection", async () => {
    double.faults.inject({ method: "PATCH", applyOnly: true, dryRun: false, action: { type: "drop" } });
    const { report } = await run([namespace]);
    expect(report.applied[0]).toMatchObject({ outcome: "created", attempts: 2 });
  });

  it("still reports 'created' when the reply to the create was lost and the retry found the object", async () => {
    double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      path: "/configmaps/a",
      action: { type: "dropAfterHandling" },
    });
    const { report } = await run([namespace, configMap("a")]);
    expect(report.applied[1]).toMatchObject({ outcome: "created", attempts: 2 });
    expect(
      realApplies()
        .filter((r) => r.path.endsWith("/configmaps/a"))
        .map((r) => r.status),
    ).toEqual(["dropped", 200]);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      action: { type: "status", code: 429, retryAfterSeconds: 2 },
    });
    const { report } = await run([namespace]);
    expect(report.ok).toBe(true);
    expect(sleeps).toEqual([2000]);
  });

  it("reports a kind whose CRD is not installed in the dry-run", async () => {
    double.state.setKindInstalled("keda.sh/v1alpha1", "ScaledObject", false);
    const scaledObject: KubernetesObject = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "llm", namespace: "ml-serving" },
      spec: { scaleTargetRef: { name: "llm" } },
    };
    const { report } = await run([namespace, scaledObject]);
    expect(report.failedPhase).toBe("dry-run");
    expect(report.dryRun[1]!.failure?.kind).toBe("unknown_kind");
    expect(report.dryRun[1]!.message).toContain("keda.sh/v1alpha1 ScaledObject is not served");
  });

  it("installs a CRD (KEDA's own) and a resource of its kind in one apply, CRD first", async () => {
    double.state.setKindInstalled("keda.sh/v1alpha1", "ScaledObject", false);
    const sharedDir = path.resolve(__dirname, "../..", "..", "shared");
    const crd = parseYaml(
      readFileSync(path.join(sharedDir, "schemas/crds/keda.sh_scaledobjects.yaml"), "utf8"),
    ) as KubernetesObject;
    const scaledObject: KubernetesObject = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "llm", namespace: "ml-serving" },
      spec: {
        scaleTargetRef: { name: "llm" },
        triggers: [{ type: "prometheus", metadata: { query: "sum(rate(x[1m]))", threshold: "5" } }],
      },
    };
    const { report } = await run([scaledObject, namespace, crd]);
    expect(report.ok).toBe(true);
    expect(outcomes(report.applied)).toEqual([
      "Namespace/ml-serving:created",
      "CustomResourceDefinition/scaledobjects.keda.sh:created",
      "ScaledObject/llm:created",
    ]);
    const stored = double.state.get(
      double.state.findByKind("apiextensions.k8s.io/v1", "CustomResourceDefinition")!,
      undefined,
      "scaledobjects.keda.sh",
    )!;
    const schema = (
      stored.spec as { versions: Array<{ schema: { openAPIV3Schema: { properties: Record<string, unknown> } } }> }
    ).versions[0]!.schema.openAPIV3Schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["spec", "status"]));
    // Nothing of the schema is lost on the way through client-node's models (defaults, x-kubernetes-* keys).
    expect(diffObjects(crd, stored)).toEqual([]);
  });

  it("previews without applying when dryRun is set", async () => {
    const { report } = await run([namespace, deployment()], { dryRun: true });
    expect(report.ok).toBe(true);
    expect(report.dryRun.map((r) => r.outcome)).toEqual(["created", "created"]);
    expect(realApplies()).toEqual([]);
  });
});

describe("applyObjects timeouts", () => {
  it("retries a request that exceeded the client's timeout", async () => {
    await double.close();
    ({ double, client } = await startDoubleWithClient({ requestTimeoutMs: 200 }));
    double.faults.inject({ method: "PATCH", applyOnly: true, dryRun: false, action: { type: "delay", ms: 400 } });
    const { report } = await run([namespace]);
    expect(report.applied[0]).toMatchObject({ outcome: "created", attempts: 2 });
  });

  it("sends a NetworkPolicy's ingress 'from' (client-node's model serializer would drop it from a plain object)", async () => {
    const policy: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "np", namespace: "ml-serving" },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] },
    };
    await run([namespace, policy]);
    const sent = realApplies().find((r) => r.path.endsWith("/networkpolicies/np"))!;
    expect(JSON.parse(sent.body).spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
  });
});
