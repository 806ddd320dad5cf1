// Proves the double satisfies @kubernetes/client-node itself: discovery, apply semantics, errors, faults, controllers.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type KubernetesApiDouble, createManualClock, startKubernetesApiDouble } from "./kubernetes-api-double";

let double: KubernetesApiDouble;
let objects: KubernetesObjectApi;
let kubeConfig: KubeConfig;
const clock = createManualClock();

const ssa = (obj: KubernetesObject, manager = "portal", opts: { force?: boolean; dryRun?: boolean } = {}) =>
  objects.patch(
    structuredClone(obj),
    undefined,
    opts.dryRun ? "All" : undefined,
    manager,
    opts.force ?? false,
    PatchStrategy.ServerSideApply,
  );
const statusOf = async (promise: Promise<unknown>) => {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code: number; body: string };
  expect(error, "expected the request to fail").toBeDefined();
  return {
    code: error.code,
    status: typeof error.body === "string" && error.body.startsWith("{") ? JSON.parse(error.body) : error.body,
  };
};

const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml" } };
const deployment = (replicas = 2, image = "vllm:1") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "ml" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image }] } },
  },
});

beforeEach(async () => {
  double = await startKubernetesApiDouble({
    clock,
    reconcileIntervalMs: 0,
    timing: { workloadReadyAfterMs: 1000, veleroPhaseStepMs: 1000 },
  });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(double.kubeconfigYaml);
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  await ssa(namespace);
});
afterEach(() => double.close());

describe("server-side apply", () => {
  it("creates with 201, updates with 200, and a repeat apply leaves resourceVersion alone", async () => {
    const created = await ssa(deployment());
    expect(double.controls.requests().at(-1)?.status).toBe(201);
    const updated = await ssa(deployment(3));
    expect(double.controls.requests().at(-1)?.status).toBe(200);
    expect(updated.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
    const before = await objects.read({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "ml" },
    });
    const again = await ssa(deployment(3));
    expect(again.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it("records per-manager ownership in managedFields", async () => {
    const live = await ssa(deployment());
    const entry = live.metadata?.managedFields?.find((m) => m.manager === "portal");
    expect(entry?.operation).toBe("Apply");
    expect(entry?.fieldsV1).toMatchObject({
      "f:spec": {
        "f:replicas": {},
        "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } },
      },
    });
  });

  it("refuses a second manager changing an owned field with a FieldManagerConflict, and force takes it over", async () => {
    await ssa(deployment(2));
    const { code, status } = await statusOf(ssa(deployment(5), "kubectl"));
    expect(code).toBe(409);
    expect(status.reason).toBe("Conflict");
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "portal": .spec.replicas');
    expect(status.details.causes).toEqual([
      { type: "FieldManagerConflict", message: 'conflict with "portal"', field: ".spec.replicas" },
    ]);

    const forced = await ssa(deployment(5), "kubectl", { force: true });
    expect((forced as { spec?: { replicas?: number } }).spec?.replicas).toBe(5);
    const portalFields = forced.metadata?.managedFields?.find((m) => m.manager === "portal")?.fieldsV1 as Record<
      string,
      Record<string, unknown>
    >;
    expect(portalFields["f:spec"]!["f:replicas"]).toBeUndefined();
  });

  it("lets two managers share a field when they apply the same value", async () => {
    await ssa(deployment(2));
    await expect(ssa(deployment(2), "kubectl")).resolves.toBeDefined();
  });

  it("dryRun=All validates and answers without storing", async () => {
    const answer = await ssa(deployment(), "portal", { dryRun: true });
    expect(answer.metadata?.name).toBe("web");
    const { code } = await statusOf(
      objects.read({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ml" } }),
    );
    expect(code).toBe(404);
  });

  it("answers 400 when an apply names no fieldManager", async () => {
    const { code, status } = await statusOf(
      objects.patch(deployment(), undefined, undefined, undefined, undefined, PatchStrategy.ServerSideApply),
    );
    expect(code).toBe(400);
    expect(status.message).toContain("fieldManager is required");
  });

  it.each([
    ["negative replicas", deployment(-1), "spec.replicas"],
    ["a name with an underscore", { ...namespace, metadata: { name: "ml_team" } }, "metadata.name"],
    [
      "a selector that misses the template labels",
      { ...deployment(), spec: { ...deployment().spec, selector: { matchLabels: { app: "other" } } } },
      "spec.template.metadata.labels",
    ],
  ])("rejects %s with a 422 Invalid Status naming the field", async (_name, obj, field) => {
    const { code, status } = await statusOf(ssa(obj as KubernetesObject));
    expect(code).toBe(422);
    expect(status.reason).toBe("Invalid");
    expect(status.details.causes.map((c: { field: string }) => c.field)).toContain(field);
  });

  it("refuses a POST without a name with 422 and the API's cause", async () => {
    const { code, status } = await statusOf(
      objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "ml" } } as KubernetesObject),
    );
    expect(code).toBe(422);
    expect(status.details.causes).toEqual([
      {
        reason: "FieldValueRequired",
        message: "Required value: name or generateName is required",
        field: "metadata.name",
      },
    ]);
  });

  it("answers 409 AlreadyExists to a second POST of the same name", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dup", namespace: "ml" } } as KubernetesObject;
    await objects.create(cm);
    const { code, status } = await statusOf(objects.create(cm));
    expect([code, status.reason, status.message]).toEqual([409, "AlreadyExists", 'configmaps "dup" already exists']);
  });

  it("refuses namespaced objects in a namespace that does not exist", async () => {
    const { code, status } = await statusOf(ssa({ ...deployment(), metadata: { name: "web", namespace: "nowhere" } }));
    expect(code).toBe(404);
    expect(status.message).toBe('namespaces "nowhere" not found');
  });
});

describe("reads, lists, deletes and discovery", () => {
  it("answers a 404 Status for a missing object and plain text for an unknown kind", async () => {
    const missing = await statusOf(
      objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nope", namespace: "ml" } }),
    );
    expect(missing.status).toMatchObject({ kind: "Status", reason: "NotFound", code: 404 });
    double.state.setKindInstalled("keda.sh/v1alpha1", "ScaledObject", false);
    const unknown = await statusOf(
      objects
        .read({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "x", namespace: "ml" } })
        .catch((e) => Promise.reject({ code: 0, body: String(e.message) })),
    );
    expect(String(unknown.status)).toContain("Unrecognized API version and kind: keda.sh/v1alpha1 ScaledObject");
    const neverServed = await statusOf(
      objects.read({ apiVersion: "nothing.io/v1", kind: "Thing", metadata: { name: "x" } }),
    );
    expect(neverServed).toEqual({ code: 404, status: "404 page not found\n" });
  });

  it("lists main resources before subresources in discovery", async () => {
    const names = (await kubeConfig.makeApiClient(AppsV1Api).getAPIResources()).resources.map((r) => r.name);
    const firstSub = names.findIndex((n) => n.includes("/"));
    expect(names.slice(firstSub).every((n) => n.includes("/"))).toBe(true);
    expect(names.slice(0, firstSub)).toEqual(["deployments", "daemonsets", "statefulsets", "replicasets"]);
  });

  it("filters lists by label selector", async () => {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    for (const [name, tier] of [
      ["a", "gpu"],
      ["b", "cpu"],
      ["c", "gpu"],
    ]) {
      await ssa({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "ml", labels: { tier } },
        data: {},
      } as KubernetesObject);
    }
    const list = await core.listNamespacedConfigMap({ namespace: "ml", labelSelector: "tier=gpu" });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["a", "c"]);
    const notIn = await core.listNamespacedConfigMap({ namespace: "ml", labelSelector: "tier notin (gpu)" });
    expect(notIn.items.map((i) => i.metadata?.name)).toEqual(["b"]);
  });

  it("deletes with a Status and cascades a namespace deletion to its contents", async () => {
    await ssa(deployment());
    const status = await objects.delete(namespace);
    expect(status.status).toBe("Success");
    const { code } = await statusOf(
      objects.read({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ml" } }),
    );
    expect(code).toBe(404);
  });

  it("deletes with preconditions.uid only the object of that uid: another answers the API server's 409 Conflict and stays", async () => {
    const ref = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ml" } };
    const first = await ssa(deployment());
    await objects.delete(ref);
    const second = await ssa(deployment());
    expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
    const stale = await statusOf(
      objects.delete(ref, undefined, undefined, undefined, undefined, "Foreground", {
        preconditions: { uid: first.metadata?.uid },
      }),
    );
    expect(stale).toEqual({
      code: 409,
      status: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        reason: "Conflict",
        code: 409,
        message: `Operation cannot be fulfilled on Deployment.apps "web": the UID in the precondition (${first.metadata?.uid}) does not match the UID in record (${second.metadata?.uid}). The object might have been deleted and then recreated`,
        details: { name: "web", group: "apps", kind: "Deployment" },
      },
    });
    expect((await objects.read(ref)).metadata?.uid).toBe(second.metadata?.uid);
    await objects.delete(ref, undefined, undefined, undefined, undefined, "Foreground", {
      preconditions: { uid: second.metadata?.uid },
    });
    expect((await statusOf(objects.read(ref))).code).toBe(404);
  });

  it("checks a Namespace's uid precondition in the namespace storage's words, and a resourceVersion precondition too", async () => {
    const live = await objects.read(namespace);
    const stale = await statusOf(
      objects.delete(namespace, undefined, undefined, undefined, undefined, undefined, {
        preconditions: { uid: "0000" },
      }),
    );
    expect(stale.status).toMatchObject({
      reason: "Conflict",
      code: 409,
      details: { name: "ml", group: "", kind: "namespaces" },
      message: `Operation cannot be fulfilled on namespaces "ml": Precondition failed: UID in precondition: 0000, UID in object meta: ${live.metadata?.uid}`,
    });
    const oldVersion = await statusOf(
      objects.delete(namespace, undefined, undefined, undefined, undefined, undefined, {
        preconditions: { resourceVersion: "1" },
      }),
    );
    expect(oldVersion.status).toMatchObject({
      reason: "Conflict",
      code: 409,
      message: expect.stringContaining("ResourceVersion in precondition: 1"),
    });
    expect((await objects.read(namespace)).metadata?.uid).toBe(live.metadata?.uid);
  });

  it("answers 401 Unauthorized for a wrong token", async () => {
    const wrong = new KubeConfig();
    wrong.loadFromString(double.kubeconfigYaml.replace(double.token, "not-the-token"));
    const { code, status } = await statusOf(
      KubernetesObjectApi.makeApiClient(wrong).read({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ml" } }),
    );
    expect(code).toBe(401);
    expect(status).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });
});

describe("faults", () => {
  it("fails only the nth matching request, with Retry-After on 429", async () => {
    double.faults.inject({
      method: "GET",
      path: "/configmaps",
      nth: 2,
      action: { type: "status", code: 429, retryAfterSeconds: 3 },
    });
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await core.listNamespacedConfigMap({ namespace: "ml" });
    const error = (await core.listNamespacedConfigMap({ namespace: "ml" }).catch((e) => e)) as {
      code: number;
      headers: Record<string, string>;
    };
    expect(error.code).toBe(429);
    expect(error.headers["retry-after"]).toBe("3");
    await expect(core.listNamespacedConfigMap({ namespace: "ml" })).resolves.toBeDefined();
  });

  it("drops the connection when told to", async () => {
    double.faults.inject({ method: "GET", path: "/namespaces", action: { type: "drop" } });
    await expect(kubeConfig.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow();
    expect(double.controls.requests().at(-1)?.status).toBe("dropped");
  });
});

describe("simulated controllers", () => {
  it("makes a Deployment Ready after the delay and keeps one ReplicaSet per revision", async () => {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    await ssa(deployment(2, "vllm:1"));
    expect((await apps.readNamespacedDeployment({ name: "web", namespace: "ml" })).status?.readyReplicas ?? 0).toBe(0);
    clock.advance(1000);
    const ready = await apps.readNamespacedDeployment({ name: "web", namespace: "ml" });
    expect(ready.status?.readyReplicas).toBe(2);
    expect(ready.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    await ssa(deployment(2, "vllm:2"));
    clock.advance(1000);
    const sets = await apps.listNamespacedReplicaSet({ namespace: "ml" });
    const revisions = Object.fromEntries(
      sets.items.map((rs) => [
        rs.spec?.template?.spec?.containers[0]!.image,
        rs.metadata?.annotations?.["deployment.kubernetes.io/revision"],
      ]),
    );
    expect(revisions).toEqual({ "vllm:1": "1", "vllm:2": "2" });
    const pods = await kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: "ml", labelSelector: "app=web" });
    expect(pods.items.map((p) => p.spec?.containers[0]!.image)).toEqual(["vllm:2", "vllm:2"]);
  });

  it("keeps pods of an unpullable image NotReady in ImagePullBackOff, the old ones serving, until the deadline passes", async () => {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await ssa(deployment(2, "vllm:1"));
    clock.advance(1000);
    double.controls.setImageMissing("vllm:gone", true);
    for (const image of ["registry.invalid/corrupt:1", "vllm:gone"]) {
      await ssa(deployment(2, image));
      clock.advance(5000);
      const d = await apps.readNamespacedDeployment({ name: "web", namespace: "ml" });
      // RollingUpdate with 25% of 2 replicas: one surge pod, and no old pod may go (maxUnavailable rounds to 0).
      expect(d.status).toMatchObject({ updatedReplicas: 1, availableReplicas: 2, replicas: 3 });
      expect(d.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
        status: "True",
        reason: "ReplicaSetUpdated",
      });
      const pods = (await core.listNamespacedPod({ namespace: "ml", labelSelector: "app=web" })).items;
      const broken = pods.filter((p) => p.spec?.containers[0]!.image === image);
      expect(broken).toHaveLength(1);
      expect(broken[0]!.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
      expect(broken[0]!.status?.containerStatuses?.[0]!.state?.waiting).toMatchObject({ reason: "ImagePullBackOff" });
      expect(pods.filter((p) => p.spec?.containers[0]!.image === "vllm:1")).toHaveLength(2);
    }
    clock.advance(600_000);
    const late = await apps.readNamespacedDeployment({ name: "web", namespace: "ml" });
    expect(late.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
    });
    // Once the image is back in the registry the rollout completes.
    double.controls.setImageMissing("vllm:gone", false);
    await ssa(deployment(2, "vllm:gone"));
    clock.advance(1000);
    expect((await apps.readNamespacedDeployment({ name: "web", namespace: "ml" })).status?.readyReplicas).toBe(2);
  });

  it("stops every old pod of a Recreate Deployment whose new image cannot be pulled", async () => {
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const recreate = (image: string) => {
      const d = deployment(2, image);
      return { ...d, spec: { ...d.spec, strategy: { type: "Recreate" } } };
    };
    await ssa(recreate("vllm:1"));
    clock.advance(1000);
    await ssa(recreate("registry.invalid/corrupt:1"));
    clock.advance(1000);
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "ml" });
    expect(d.status).toMatchObject({ updatedReplicas: 2, availableReplicas: 0, unavailableReplicas: 2 });
  });

  it.each([
    ["Completed", { warnings: undefined, errors: undefined }],
    ["PartiallyFailed", { warnings: 2, errors: 1 }],
  ] as const)("advances a Velero Restore New → InProgress → %s", async (outcome, counts) => {
    double.controls.setVeleroOutcome("Restore", outcome);
    await ssa({ apiVersion: "v1", kind: "Namespace", metadata: { name: "velero" } });
    double.controls.seedCompletedBackup(
      {
        apiVersion: "velero.io/v1",
        kind: "Backup",
        metadata: { name: "b1", namespace: "velero" },
        spec: { includedNamespaces: ["ml"] },
      },
      clock.now() - 60_000,
      clock.now(),
    );
    await objects.create({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      metadata: { name: "r1", namespace: "velero" },
      spec: { backupName: "b1" },
    } as KubernetesObject);
    const phase = async () =>
      (
        (await objects.read({
          apiVersion: "velero.io/v1",
          kind: "Restore",
          metadata: { name: "r1", namespace: "velero" },
        })) as { status?: Record<string, unknown> }
      ).status;
    expect((await phase())?.phase).toBe("New");
    clock.advance(1000);
    expect((await phase())?.phase).toBe("InProgress");
    clock.advance(1000);
    const final = await phase();
    expect(final).toMatchObject({
      phase: outcome,
      ...Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== undefined)),
    });
    expect(final?.completionTimestamp).toBeDefined();
  });
});
