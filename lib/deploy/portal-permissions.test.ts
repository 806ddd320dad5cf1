// Eat your own cooking: the portal's ClusterRole must let it apply everything its own plan engine generates,
// including the roles (Kubernetes refuses a role that grants more than its creator holds).
import { describe, expect, it } from "vitest";
import { buildManifests } from "@/lib/plans/generate-plan";
import { infrastructureTasks, planInputSchema, workloadTypes } from "@/lib/plans/schema";
import type { KubernetesObject } from "@/lib/k8s/types";
import { permits, portalPermissions } from "./portal-permissions";

const clouds = ["aws", "gcp", "azure", "on_premise"] as const;

function planObjects(): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const infrastructure_task of infrastructureTasks)
    for (const cloud_provider of clouds)
      for (const workload_type of workloadTypes)
        objects.push(...buildManifests(planInputSchema.parse({ infrastructure_task, cloud_provider, workload_type })));
  return objects;
}

/** The REST resource of a kind, as RBAC names it (lowercase plural). */
function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith("s")) return `${lower}es`;
  return `${lower}s`;
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

describe("portal permissions", () => {
  const objects = planObjects();

  it.each([
    ["Namespace", "namespaces"], ["NetworkPolicy", "networkpolicies"], ["EC2NodeClass", "ec2nodeclasses"], ["BackupStorageLocation", "backupstoragelocations"],
  ])("names the resource of %s as %s", (kind, resource) => {
    expect(resourceOf(kind)).toBe(resource);
  });

  it("can server-side apply every kind the plan engine generates", () => {
    const kinds = [...new Set(objects.map((o) => `${groupOf(o.apiVersion)}|${resourceOf(o.kind)}`))];
    expect(kinds.length).toBeGreaterThan(10);
    const missing = kinds.flatMap((key) => {
      const [group, resource] = key.split("|");
      return ["get", "create", "patch"].filter((verb) => !permits(portalPermissions, group!, resource!, verb)).map((verb) => `${verb} ${group || "core"}/${resource}`);
    });
    expect(missing, "add these to lib/deploy/portal-permissions.ts").toEqual([]);
  });

  it("holds every permission the roles it applies grant", () => {
    const missing = new Set<string>();
    for (const role of objects.filter((o) => o.kind === "Role" || o.kind === "ClusterRole")) {
      for (const rule of role.rules as { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[]) {
        for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) {
          const names = rule.resourceNames ?? [undefined];
          for (const name of names) if (!permits(portalPermissions, group, resource, verb, name)) missing.add(`${verb} ${group || "core"}/${resource}${name ? `/${name}` : ""} (granted by ${role.kind} ${role.metadata.name})`);
        }
      }
    }
    expect([...missing], "add these to lib/deploy/portal-permissions.ts").toEqual([]);
  });

  it("treats resourceNames as a restriction, not a grant of everything", () => {
    expect(permits(portalPermissions, "", "secrets", "get", "model-credentials")).toBe(true);
    expect(permits(portalPermissions, "", "secrets", "get", "some-other-secret")).toBe(false);
    expect(permits(portalPermissions, "", "secrets", "list")).toBe(false);
  });

  it("grants the Velero, Karpenter and External Secrets kinds the portal drives, and nothing with a wildcard", () => {
    for (const [group, resource] of [["velero.io", "restores"], ["velero.io", "backups"], ["karpenter.sh", "nodepools"], ["external-secrets.io", "clustersecretstores"]]) {
      expect(permits(portalPermissions, group!, resource!, "create")).toBe(true);
    }
    expect(portalPermissions.flatMap((p) => [p.apiGroup, ...p.resources, ...p.verbs])).not.toContain("*");
  });
});
