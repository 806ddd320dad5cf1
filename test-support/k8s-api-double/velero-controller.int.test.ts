// The double's Velero as drills rely on it: backup sync onto a second cluster, validation, existing-resource
// policy, asynchronous phases, volume data of file-system backups, and a namespace stuck Terminating.
import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { type KubernetesApiDouble, createManualClock, startKubernetesApiDouble } from "./kubernetes-api-double";
import { VeleroObjectStorage } from "./velero-controller";

const clock = createManualClock();
const step = 1000;
const started: KubernetesApiDouble[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((d) => d.close()));
});

type Obj = KubernetesObject & {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
};

async function cluster(storage = new VeleroObjectStorage()) {
  const double = await startKubernetesApiDouble({
    clock,
    reconcileIntervalMs: 0,
    veleroStorage: storage,
    timing: { workloadReadyAfterMs: step, veleroPhaseStepMs: step },
  });
  started.push(double);
  const kc = new KubeConfig();
  kc.loadFromString(double.kubeconfigYaml);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const apply = (obj: Obj) =>
    objects.patch(
      structuredClone(obj),
      undefined,
      undefined,
      "test",
      true,
      PatchStrategy.ServerSideApply,
    ) as Promise<Obj>;
  const read = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
    objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }).then(
      (o) => o as Obj,
      () => null,
    );
  const velero = (kind: "Backup" | "Restore", name: string) => read("velero.io/v1", kind, "velero", name);
  await apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "velero" } });
  await apply({
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: "default", namespace: "velero" },
    spec: { provider: "aws", default: true, objectStorage: { bucket: "shared-bucket" } },
  });
  return { double, objects, apply, read, velero };
}

async function seedApp(c: Awaited<ReturnType<typeof cluster>>) {
  await c.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } });
  await c.apply({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "app" },
    data: { model: "v1" },
  });
}

async function untilTerminal(
  c: Awaited<ReturnType<typeof cluster>>,
  kind: "Backup" | "Restore",
  name: string,
  seen: string[] = [],
) {
  for (let i = 0; i < 10; i++) {
    const phase = String((await c.velero(kind, name))?.status?.phase);
    if (seen.at(-1) !== phase) seen.push(phase);
    if (["Completed", "PartiallyFailed", "Failed", "FailedValidation"].includes(phase))
      return (await c.velero(kind, name))!;
    clock.advance(step);
  }
  throw new Error(`${kind} ${name} never ended: ${seen.join(" → ")}`);
}

const backup = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "velero.io/v1",
  kind: "Backup",
  metadata: { name, namespace: "velero" },
  spec: { includedNamespaces: ["app"], ...spec },
});
const restore = (name: string, backupName: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "velero.io/v1",
  kind: "Restore",
  metadata: { name, namespace: "velero" },
  spec: { backupName, ...spec },
});

describe("backup sync onto a second cluster", () => {
  it("creates the Backup with a new creationTimestamp but the original startTimestamp; a restore before the sync fails validation", async () => {
    const storage = new VeleroObjectStorage();
    const primary = await cluster(storage);
    await seedApp(primary);
    await primary.objects.create(backup("nightly"));
    const original = await untilTerminal(primary, "Backup", "nightly");
    expect(original.status?.phase).toBe("Completed");

    clock.advance(3600_000);
    const recovery = await cluster(storage);
    await recovery.objects.create(restore("too-early", "nightly"));
    clock.advance(step);
    const early = await recovery.velero("Restore", "too-early");
    expect(early?.status).toMatchObject({ phase: "FailedValidation", validationErrors: ["backup nightly not found"] });

    clock.advance(step);
    const synced = await recovery.velero("Backup", "nightly");
    expect(synced?.status?.startTimestamp).toBe(original.status?.startTimestamp);
    expect(synced?.metadata?.creationTimestamp).not.toEqual(original.metadata?.creationTimestamp);
    expect(
      Date.parse(String(synced?.metadata?.creationTimestamp)) - Date.parse(String(original.status?.startTimestamp)),
    ).toBeGreaterThanOrEqual(3600_000);
    expect(synced?.metadata?.labels?.["velero.io/storage-location"]).toBe("default");

    await recovery.objects.create(restore("after-sync", "nightly"));
    const done = await untilTerminal(recovery, "Restore", "after-sync");
    expect(done.status).toMatchObject({ phase: "Completed", progress: { itemsRestored: 2 } });
    expect((await recovery.read("v1", "ConfigMap", "app", "settings"))?.data).toEqual({ model: "v1" });
  });
});

describe("validation against the storage location", () => {
  it("ends Backups and Restores FailedValidation while the location is Unavailable", async () => {
    const c = await cluster();
    await seedApp(c);
    await c.objects.create(backup("ok"));
    await untilTerminal(c, "Backup", "ok");
    c.double.controls.setBackupLocationAvailable("default", false);
    clock.advance(step);
    expect((await c.read("velero.io/v1", "BackupStorageLocation", "velero", "default"))?.status?.phase).toBe(
      "Unavailable",
    );
    await c.objects.create(backup("refused"));
    await c.objects.create(restore("refused", "ok"));
    expect((await untilTerminal(c, "Backup", "refused")).status).toMatchObject({
      phase: "FailedValidation",
      validationErrors: [expect.stringContaining("Unavailable")],
    });
    expect((await untilTerminal(c, "Restore", "refused")).status).toMatchObject({
      phase: "FailedValidation",
      validationErrors: ["backup storage location default is unavailable"],
    });
  });
});

describe("restoring over existing objects", () => {
  it("skips them with an 'already exists' warning by default and updates them with existingResourcePolicy update", async () => {
    const c = await cluster();
    await seedApp(c);
    await c.objects.create(backup("b"));
    await untilTerminal(c, "Backup", "b");
    await c.apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "app" },
      data: { model: "corrupt" },
    });

    await c.objects.create(restore("skip", "b"));
    const skipped = await untilTerminal(c, "Restore", "skip");
    expect(skipped.status).toMatchObject({
      phase: "Completed",
      warnings: 1,
      // As Velero's progress does, skipped existing objects count as restored items: the count proves nothing.
      progress: { itemsRestored: 2, totalItems: 2 },
    });
    expect((await c.read("v1", "ConfigMap", "app", "settings"))?.data).toEqual({ model: "corrupt" });

    await c.objects.create(restore("update", "b", { existingResourcePolicy: "update" }));
    const updated = await untilTerminal(c, "Restore", "update");
    expect(updated.status).toMatchObject({ phase: "Completed", progress: { itemsRestored: 2, totalItems: 2 } });
    expect(updated.status?.warnings).toBeUndefined();
    expect((await c.read("v1", "ConfigMap", "app", "settings"))?.data).toEqual({ model: "v1" });
  });
});

describe("asynchronous phases", () => {
  it("passes through WaitingForPluginOperationsPartiallyFailed and FinalizingPartiallyFailed before PartiallyFailed", async () => {
    const c = await cluster();
    await seedApp(c);
    await c.objects.create(backup("b"));
    await untilTerminal(c, "Backup", "b");
    c.double.controls.setVeleroAsyncPhases("Restore", true);
    c.double.controls.setVeleroOutcome("Restore", "PartiallyFailed");
    await c.objects.create(restore("slow", "b", { namespaceMapping: { app: "app-copy" } }));
    const seen: string[] = [];
    await untilTerminal(c, "Restore", "slow", seen);
    expect(seen).toEqual([
      "New",
      "InProgress",
      "WaitingForPluginOperationsPartiallyFailed",
      "FinalizingPartiallyFailed",
      "PartiallyFailed",
    ]);
  });
});

describe("volume data", () => {
  it("comes back after the namespace is deleted only when the backup copied it (file-system backup)", async () => {
    const c = await cluster();
    await seedApp(c);
    await c.apply({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "app" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    c.double.controls.writeVolume("app", "data", { "features.parquet": "rows-1-to-1000" });
    await c.objects.create(backup("with-files", { defaultVolumesToFsBackup: true }));
    await c.objects.create(backup("without-files", { defaultVolumesToFsBackup: false, snapshotVolumes: false }));
    await untilTerminal(c, "Backup", "with-files");
    await untilTerminal(c, "Backup", "without-files");

    await c.objects.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } });
    expect(c.double.controls.readVolume("app", "data")).toBeNull();
    await c.objects.create(restore("empty", "without-files", { namespaceMapping: { app: "app-empty" } }));
    await c.objects.create(restore("full", "with-files"));
    await untilTerminal(c, "Restore", "empty");
    await untilTerminal(c, "Restore", "full");
    expect(c.double.controls.readVolume("app-empty", "data")).toEqual({});
    expect(c.double.controls.readVolume("app", "data")).toEqual({ "features.parquet": "rows-1-to-1000" });
  });
});

describe("a namespace stuck Terminating", () => {
  it("stays with its contents and refuses new objects", async () => {
    const c = await cluster();
    await seedApp(c);
    c.double.controls.setNamespaceStuckTerminating("app", true);
    await c.objects.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } });
    const ns = await c.read("v1", "Namespace", undefined, "app");
    expect(ns?.status?.phase).toBe("Terminating");
    expect(ns?.metadata?.deletionTimestamp).toBeDefined();
    expect(await c.read("v1", "ConfigMap", "app", "settings")).not.toBeNull();
    const refused = await c.objects
      .create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new", namespace: "app" } } as KubernetesObject)
      .catch((e: { code: number }) => e);
    expect((refused as { code: number }).code).toBe(403);
  });
});

describe("schedules, deletion and expiry", () => {
  const schedule = (name: string, cron: string, template: Record<string, unknown> = {}) => ({
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name, namespace: "velero" },
    spec: { schedule: cron, template: { includedNamespaces: ["app"], ...template } },
  });
  const scheduled = async (c: Awaited<ReturnType<typeof cluster>>, name: string) =>
    (
      await c.objects.list(
        "velero.io/v1",
        "Backup",
        "velero",
        undefined,
        undefined,
        undefined,
        undefined,
        `velero.io/schedule-name=${name}`,
      )
    ).items.map((b) => String(b.metadata?.name));

  it("makes a Backup from the template at each cron tick, named and labelled as Velero does", async () => {
    const c = await cluster();
    await seedApp(c);
    // Align to a minute boundary one second before a */2 tick.
    const minute = 60_000;
    const next = Math.ceil((clock.now() + 1) / (2 * minute)) * 2 * minute;
    clock.advance(next - clock.now() - 1000);
    await c.apply(schedule("every-2m", "*/2 * * * *", { ttl: "1h0m0s", defaultVolumesToFsBackup: true }));
    c.double.controls.reconcile();
    expect(await scheduled(c, "every-2m")).toEqual([]);
    clock.advance(1000);
    c.double.controls.reconcile();
    const stamp = new Date(next).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    expect(await scheduled(c, "every-2m")).toEqual([`every-2m-${stamp}`]);
    const made = await untilTerminal(c, "Backup", `every-2m-${stamp}`);
    expect(made.spec).toMatchObject({ includedNamespaces: ["app"], ttl: "1h0m0s", defaultVolumesToFsBackup: true });
    expect(made.status?.phase).toBe("Completed");
    // Not again within the same tick; again at the next one.
    clock.advance(minute);
    c.double.controls.reconcile();
    expect(await scheduled(c, "every-2m")).toHaveLength(1);
    clock.advance(minute);
    c.double.controls.reconcile();
    expect(await scheduled(c, "every-2m")).toHaveLength(2);
  });

  it("deletes a Backup and its stored data on a DeleteBackupRequest, so backup sync cannot bring it back", async () => {
    const storage = new VeleroObjectStorage();
    const c = await cluster(storage);
    await seedApp(c);
    await c.objects.create(backup("drill-made"));
    await untilTerminal(c, "Backup", "drill-made");
    expect(storage.bucket("shared-bucket").has("drill-made")).toBe(true);
    await c.objects.create({
      apiVersion: "velero.io/v1",
      kind: "DeleteBackupRequest",
      metadata: { name: "drill-made-delete", namespace: "velero" },
      spec: { backupName: "drill-made" },
    } as Obj);
    c.double.controls.reconcile();
    expect(await c.velero("Backup", "drill-made")).toBeNull();
    expect(storage.bucket("shared-bucket").has("drill-made")).toBe(false);
    expect((await c.read("velero.io/v1", "DeleteBackupRequest", "velero", "drill-made-delete"))?.status).toEqual({
      phase: "Processed",
    });
    clock.advance(10 * step);
    c.double.controls.reconcile();
    expect(await c.velero("Backup", "drill-made")).toBeNull();
  });

  it("expires a Backup past its TTL (status.expiration)", async () => {
    const c = await cluster();
    await seedApp(c);
    await c.objects.create(backup("short", { ttl: "0h1m0s" }));
    const done = await untilTerminal(c, "Backup", "short");
    expect(Date.parse(String(done.status?.expiration)) - Date.parse(String(done.status?.completionTimestamp))).toBe(
      60_000,
    );
    clock.advance(61_000);
    c.double.controls.reconcile();
    expect(await c.velero("Backup", "short")).toBeNull();
  });
});
