// Shared set-up for request-flow integration tests: a migrated database, the demo people, the Kubernetes API
// double registered as the sandbox cluster, and helpers to insert requests with hand-made plans.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createMigratedDatabase } from "./test-database";
import { startKubernetesApiDouble, type KubernetesApiDouble } from "./k8s-api-double/kubernetes-api-double";
import { seedDemoState } from "./k8s-api-double/seed-demo-state";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { stopBoss } from "@/lib/jobs/queue.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { roleFromDb } from "@/lib/auth/auth-options.server";
import type { KubernetesObject } from "@/lib/k8s/types";

export interface RequestWorld {
  double: KubernetesApiDouble;
  user(email: string): Promise<PortalUser>;
  sandboxId: string;
  close(): Promise<void>;
}

export async function startRequestWorld(): Promise<RequestWorld> {
  const db = await createMigratedDatabase("portal_req");
  const double = await startKubernetesApiDouble({ timing: { workloadReadyAfterMs: 50 } });
  // The sandbox's starting state: namespaces ml-inference, ml-training, velero with GPU quotas.
  seedDemoState(double, Date.now());
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-kubeconfig-"));
  const kubeconfig = path.join(dir, "kubeconfig.yaml");
  writeFileSync(kubeconfig, double.kubeconfigYaml);
  process.env.PORTAL_KUBECONFIG = kubeconfig;
  await seedDemo(getPrisma(), { sandboxApiServer: double.url, now: new Date() });
  const sandbox = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { name: "sandbox" } });
  return {
    double,
    sandboxId: sandbox.id,
    async user(email) {
      const u = await getPrisma().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
      return {
        id: u.id,
        email: u.email,
        name: u.name,
        role: roleFromDb[u.role],
        teamIds: u.memberships.map((m) => m.teamId),
      };
    },
    async close() {
      await stopBoss({ graceful: false, timeout: 1000 }).catch(() => undefined);
      await double.close();
      await disconnectPrisma();
      await db.drop();
    },
  };
}

export function configMaps(count: number, namespace = "ml-inference"): KubernetesObject[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `settings-${i + 1}`, namespace },
    data: { index: String(i + 1) },
  }));
}

/** Inserts an approved request whose plan is exactly `objects`, with a queued apply run; returns the run id. */
export async function insertApprovedRequest(
  world: RequestWorld,
  objects: KubernetesObject[],
  options: { force?: boolean } = {},
) {
  const db = getPrisma();
  const requester = await world.user("engineer@demo.local");
  const request = await db.request.create({
    data: {
      kind: "inference_scaling",
      title: "fixture",
      teamId: requester.teamIds[0]!,
      requesterId: requester.id,
      clusterTargetId: world.sandboxId,
      status: "approved",
      input: {},
      plan: {
        deployment_manifests: objects,
        infrastructure_config: {},
        cost_estimate: {},
        security_report: {},
        runbooks: [],
        validation: {},
      } as object,
      planHash: "fixture",
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    },
  });
  const run = await db.applyRun.create({
    data: { requestId: request.id, fieldManager: "ml-portal", force: options.force ?? false },
  });
  return { requestId: request.id, runId: run.id };
}
