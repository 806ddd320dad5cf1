// Shared setup of the drill integration tests: a migrated database, the Kubernetes API double seeded with the
// sandbox state and a fresh Velero backup, a local health endpoint, and a cluster target pointing at the double.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PortalUser } from "@/lib/auth/permissions";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { rowFromPlan } from "@/lib/dr/plan-rows";
import { drPlanInput, type DrPlanInput, type DrStepInput } from "@/lib/dr/schema";
import { runDrill, type RunDrillOptions } from "@/lib/dr/run-drill.server";
import { startHealthEndpoint, type HealthEndpoint } from "@/test-support/health-endpoint";
import { startKubernetesApiDouble, type KubernetesApiDouble } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { seedDemoState } from "@/test-support/k8s-api-double/seed-demo-state";
import { createMigratedDatabase } from "@/test-support/test-database";
import { addToUrlAllowList } from "@/lib/net/url-allow-list-setting.server";

export const sre: PortalUser = { id: "u-sre", email: "sre@demo.local", name: "SRE", role: "sre", teamIds: [] };
export const admin: PortalUser = { id: "u-admin", email: "admin@demo.local", name: "Admin", role: "platform-admin", teamIds: [] };
export const finance: PortalUser = { id: "u-fin", email: "finance@demo.local", name: "Finance", role: "finance", teamIds: [] };

// Newer than the sandbox seed's own latest backup (25 minutes), so it is the last successful backup per cluster.
export const backupAgeMinutes = 10;

export interface DrillFixture {
  double: KubernetesApiDouble;
  health: HealthEndpoint;
  clusterId: string;
  dbName: string;
  backupCreatedAt: Date;
  options: RunDrillOptions;
  run(runId: string, extra?: RunDrillOptions): ReturnType<typeof runDrill>;
  addPlan(key: string, steps: DrStepInput[], extra?: Partial<DrPlanInput>): Promise<void>;
  close(): Promise<void>;
}

/** `database`: an already migrated database of the test's own (the PostgreSQL restart test brings its own server). */
export async function setUpDrillFixture(own?: { url: string; name: string; drop: () => Promise<void> }): Promise<DrillFixture> {
  const database = own ?? (await createMigratedDatabase("dr_test"));
  process.env.DATABASE_URL = database.url;
  const double = await startKubernetesApiDouble({ timing: { workloadReadyAfterMs: 150, veleroPhaseStepMs: 150 }, reconcileIntervalMs: 20 });
  seedDemoState(double, Date.now());
  const created = Date.now() - backupAgeMinutes * 60_000;
  double.controls.seedCompletedBackup(
    { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "ml-platform-fresh", namespace: "velero", labels: { "app.kubernetes.io/part-of": "ml-platform" } }, spec: { includedNamespaces: ["ml-inference"] } },
    created,
    created + 120_000,
  );
  const health = await startHealthEndpoint();
  // The runner connects as in production: createKubernetesClient with the kubeconfig file PORTAL_KUBECONFIG names.
  const kubeDir = mkdtempSync(path.join(os.tmpdir(), "dr-kube-"));
  process.env.PORTAL_KUBECONFIG = path.join(kubeDir, "kubeconfig.yaml");
  writeFileSync(process.env.PORTAL_KUBECONFIG, double.kubeconfigYaml);
  const db = getPrisma();
  await db.user.createMany({ data: [
    { id: sre.id, email: sre.email, name: sre.name, role: "sre" },
    { id: admin.id, email: admin.email, name: admin.name, role: "platform_admin" },
    { id: finance.id, email: finance.email, name: finance.name, role: "finance" },
  ] });
  // Health checks fetch only what the admin's URL allow-list holds: the local endpoint's address and port.
  await addToUrlAllowList(db, [new URL(health.url).host]);
  const target = await db.clusterTarget.create({ data: { name: "sandbox", apiServer: double.url, credentialRef: "kubeconfig-context:sandbox", isSandbox: true, protectedNamespaces: ["kube-system"] } });
  const options: RunDrillOptions = { pollMs: 50, leaseMs: 3000 };
  return {
    double,
    health,
    clusterId: target.id,
    dbName: database.name,
    backupCreatedAt: new Date(Math.floor(created / 1000) * 1000),
    options,
    run: (runId, extra) => runDrill(runId, { ...options, ...extra }),
    addPlan: async (key, steps, extra = {}) => {
      const plan = drPlanInput.parse({
        key,
        name: `Plan ${key}`,
        scope: { clusterTargetId: target.id, namespaces: ["ml-inference"] },
        rtoMinutes: 15,
        rpoMinutes: 60,
        steps,
        ...extra,
      });
      const row = rowFromPlan(plan);
      await db.drPlan.create({ data: { ...row, steps: row.steps as object, version: 1 } });
    },
    close: async () => {
      await health.close();
      await double.close();
      await disconnectPrisma();
      await database.drop();
      rmSync(kubeDir, { recursive: true, force: true });
    },
  };
}

export const noEnqueue = { enqueue: async () => undefined };

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
