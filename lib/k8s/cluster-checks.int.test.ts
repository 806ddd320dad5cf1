// Pre-conditions, post-conditions, drift and revert against the Kubernetes API double.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubernetesApiDouble, ManualClock } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { startDoubleWithClient } from "@/test-support/k8s-api-double/start-double-with-client";
import { applyObjects } from "./apply-objects.server";
import { type KubernetesClient, createKubernetesClient, listKubeconfigContexts } from "./create-client.server";
import { checkDrift, deleteObjects } from "./drift.server";
import { refOf } from "./object-ref";
import { checkMonitoringConfigured, checkObjectsExist, checkWorkloadsReady } from "./postconditions.server";
import { checkClusterAccessible, checkGpuQuota } from "./preconditions.server";
import type { KubernetesObject } from "./types";

let double: KubernetesApiDouble;
let client: KubernetesClient;
let clock: ManualClock;
const noWait = { sleep: async () => undefined };

beforeEach(async () => {
  ({ double, client, clock } = await startDoubleWithClient({ timing: { workloadReadyAfterMs: 5000 } }));
});
afterEach(() => double.close());

const plan: KubernetesObject[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-serving" } },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "llm", namespace: "ml-serving", labels: { app: "llm" } },
    spec: { selector: { app: "llm" }, ports: [{ port: 80, targetPort: 8000 }] },
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "llm-ingress", namespace: "ml-serving" },
    spec: {
      podSelector: { matchLabels: { app: "llm" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "ml" } } }] }],
    },
  },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "llm", namespace: "ml-serving" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "llm" } },
      template: {
        metadata: { labels: { app: "llm" } },
        spec: { containers: [{ name: "server", image: "vllm:0.6.3" }] },
      },
    },
  },
];
const apply = () => applyObjects(client, plan, { fieldManager: "ml-portal", retry: noWait });

describe("checkClusterAccessible", () => {
  it("passes against a reachable cluster with good credentials", async () => {
    expect(await checkClusterAccessible(client)).toEqual({ ok: true, server: double.url });
  });

  it("explains rejected credentials without repeating the token", async () => {
    const wrongToken = "wrong-token-0123456789abcdef";
    const created = createKubernetesClient(
      { apiServer: double.url, credentialRef: "kubeconfig-context:sandbox" },
      { kubeconfigYaml: double.kubeconfigYaml.replace(double.token, wrongToken) },
    );
    if (!created.ok) throw new Error(created.message);
    const result = await checkClusterAccessible(created.client);
    expect(result).toMatchObject({ ok: false, reason: "credentials_rejected" });
    const text = JSON.stringify(result);
    expect(text).toContain('kubeconfig context \\"sandbox\\"');
    expect(text).not.toContain(wrongToken);
    expect(text).not.toContain(double.token);
  });

  it("reports an unreachable API server after retrying", async () => {
    double.faults.inject({ path: "/api/v1", times: Infinity, action: { type: "drop" } });
    const result = await checkClusterAccessible(client, noWait);
    expect(result).toMatchObject({ ok: false, reason: "unreachable" });
  });

  // The other contexts are not listed: they describe clusters the person who asked may have no business knowing.
  it("refuses a context the kubeconfig does not have, without naming the ones it has", () => {
    const created = createKubernetesClient(
      { apiServer: double.url, credentialRef: "kubeconfig-context:prod" },
      { kubeconfigYaml: double.kubeconfigYaml },
    );
    expect(created).toMatchObject({ ok: false, reason: "context_not_found" });
    expect(!created.ok && created.message).toContain('context "prod" is not in the server\'s kubeconfig');
    expect(!created.ok && created.message).not.toContain("sandbox");
  });

  it("refuses a target whose apiServer is not its context's server instead of sending the context's token there", () => {
    const created = createKubernetesClient(
      { apiServer: "http://127.0.0.1:1", credentialRef: "kubeconfig-context:sandbox" },
      { kubeconfigYaml: double.kubeconfigYaml },
    );
    expect(created).toMatchObject({ ok: false, reason: "server_mismatch" });
  });

  it("accepts another spelling of the context's server and talks to the context's server", () => {
    const created = createKubernetesClient(
      { apiServer: `${double.url}/`, credentialRef: "kubeconfig-context:sandbox" },
      { kubeconfigYaml: double.kubeconfigYaml },
    );
    expect(created.ok && created.client.server).toBe(double.url);
  });
});

describe("checkGpuQuota", () => {
  beforeEach(async () => {
    // 6 of 8 GPUs in use: a Deployment of 6 single-GPU pods, counted by the double's quota controller.
    const gpuDeployment: KubernetesObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "busy", namespace: "ml-inference" },
      spec: {
        replicas: 6,
        selector: { matchLabels: { app: "busy" } },
        template: {
          metadata: { labels: { app: "busy" } },
          spec: { containers: [{ name: "c", image: "x:1", resources: { limits: { "nvidia.com/gpu": "1" } } }] },
        },
      },
    };
    const quota: KubernetesObject = {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "gpu-quota", namespace: "ml-inference" },
      spec: { hard: { "requests.nvidia.com/gpu": "8" } },
    };
    await applyObjects(
      client,
      [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-inference" } }, quota, gpuDeployment],
      { fieldManager: "setup" },
    );
    clock.advance(5000);
  });

  it("returns quota_exceeded with the quota's numbers when the request does not fit", async () => {
    const result = await checkGpuQuota(client, [
      { namespace: "ml-inference", gpus: 2 },
      { namespace: "ml-inference", gpus: 1 },
    ]);
    expect(result).toMatchObject({
      ok: false,
      reason: "quota_exceeded",
      namespace: "ml-inference",
      hard: 8,
      used: 6,
      requested: 3,
    });
  });

  it("passes when it fits and when a namespace has no GPU quota", async () => {
    const result = await checkGpuQuota(client, [
      { namespace: "ml-inference", gpus: 2 },
      { namespace: "new-team", gpus: 64 },
    ]);
    expect(result.ok).toBe(true);
  });
});

describe("post-conditions", () => {
  it("sees the objects, waits for workloads, and finds no monitoring until a ServiceMonitor appears", async () => {
    expect((await apply()).ok).toBe(true);
    expect((await checkObjectsExist(client, plan.map(refOf))).ok).toBe(true);
    const early = await checkWorkloadsReady(client, plan.map(refOf));
    expect(early.ok).toBe(false);
    expect(early.workloads[0]!.detail).toMatch(/waiting/);
    clock.advance(5000);
    expect(await checkWorkloadsReady(client, plan.map(refOf))).toMatchObject({
      ok: true,
      workloads: [{ ready: true, detail: "2/2 replicas available" }],
    });

    expect((await checkMonitoringConfigured(client, plan)).ok).toBe(false);
    await applyObjects(
      client,
      [
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: { name: "llm", namespace: "ml-serving" },
          spec: { selector: { matchLabels: { app: "llm" } }, endpoints: [{ port: "http" }] },
        },
      ],
      { fieldManager: "ml-portal" },
    );
    const monitored = await checkMonitoringConfigured(client, plan);
    expect(monitored.ok).toBe(true);
    expect(monitored.workloads[0]!.evidence).toEqual(["ServiceMonitor llm selects it"]);
  });

  it("names the missing objects", async () => {
    await apply();
    await client.objects.delete({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "llm", namespace: "ml-serving" },
    });
    const result = await checkObjectsExist(client, plan.map(refOf));
    expect(result).toMatchObject({ ok: false, message: "missing: Service ml-serving/llm" });
  });
});

describe("drift and revert", () => {
  it("is in sync right after an apply, even with server defaults and renamed client fields (NetworkPolicy from)", async () => {
    await apply();
    const drift = await checkDrift(client, plan);
    expect(drift.objects.map((o) => o.status)).toEqual(["in_sync", "in_sync", "in_sync", "in_sync"]);
    expect(drift.drifted).toBe(false);
  });

  it("shows what someone changed by hand and what they deleted", async () => {
    await apply();
    await client.apps.patchNamespacedDeploymentScale({
      name: "llm",
      namespace: "ml-serving",
      body: [{ op: "replace", path: "/spec/replicas", value: 7 }],
      fieldManager: "kubectl",
    });
    await client.objects.delete({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "llm", namespace: "ml-serving" },
    });
    const drift = await checkDrift(client, plan);
    expect(drift.drifted).toBe(true);
    expect(drift.objects.find((o) => o.ref.kind === "Deployment")).toMatchObject({
      status: "drifted",
      differences: [{ path: "spec.replicas", desired: 2, live: 7 }],
    });
    expect(drift.objects.find((o) => o.ref.kind === "Service")?.status).toBe("missing");
  });

  it("deletes dependents before the namespace and counts an already-deleted object as gone", async () => {
    await apply();
    await client.objects.delete({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "llm", namespace: "ml-serving" },
    });
    double.controls.clearRequests();
    const seen: string[] = [];
    const result = await deleteObjects(client, plan.map(refOf), {
      onResult: (r) => void seen.push(`${r.ref.kind}:${r.outcome}`),
    });
    expect(result.ok).toBe(true);
    expect(seen).toEqual(["Deployment:deleted", "NetworkPolicy:deleted", "Service:already_gone", "Namespace:deleted"]);
    expect((await checkObjectsExist(client, plan.map(refOf))).missing).toHaveLength(4);
  });
});

describe("createKubernetesClient", () => {
  it("never quotes the kubeconfig (which holds the token) when it cannot be parsed", () => {
    const broken = `${double.kubeconfigYaml}\n  : : [unbalanced`;
    const created = createKubernetesClient(
      { apiServer: double.url, credentialRef: "kubeconfig-context:sandbox" },
      { kubeconfigYaml: broken },
    );
    expect(created).toMatchObject({ ok: false, reason: "kubeconfig_unavailable" });
    expect(JSON.stringify(created)).not.toContain(double.token);
  });

  it("refuses in-cluster credentials where no service account token is mounted", () => {
    const created = createKubernetesClient(
      { apiServer: "https://kubernetes.default.svc", credentialRef: "in-cluster" },
      { inClusterPathPrefix: "/nonexistent-root" },
    );
    expect(created).toMatchObject({ ok: false, reason: "in_cluster_unavailable" });
  });

  it("lists the kubeconfig's contexts with their API servers and nothing secret", () => {
    const listed = listKubeconfigContexts({ kubeconfigYaml: double.kubeconfigYaml });
    expect(listed).toEqual({ ok: true, contexts: [{ name: "sandbox", apiServer: double.url, namespace: "default" }] });
    expect(JSON.stringify(listed)).not.toContain(double.token);
  });

  it.each(["token:abc", "kubeconfig-context:", ""])(
    "refuses the credentialRef %j with the accepted forms",
    (credentialRef) => {
      const created = createKubernetesClient(
        { apiServer: double.url, credentialRef },
        { kubeconfigYaml: double.kubeconfigYaml },
      );
      expect(created).toMatchObject({ ok: false, reason: "invalid_target" });
      expect(!created.ok && created.message).toContain('"kubeconfig-context:<context name>" or "in-cluster"');
    },
  );
});
