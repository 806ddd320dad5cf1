// The viability report: whether a set of objects would work once applied on the cluster the facts describe.
// Pure and deterministic, runs in the browser beside the schema validation and the security report.
import type { KubernetesObject } from "@/lib/k8s/types";
import { countBySeverity, scoreFindings } from "@/lib/security/score-report";
import type { SecurityFinding, SecurityReport } from "@/lib/security/types";
import { checkApiAccess } from "./check-api-access";
import { checkBackups } from "./check-backups";
import { checkBackupStore } from "./check-backup-store";
import { checkEgress } from "./check-egress";
import { checkClaimSeeding } from "./check-claim-seeding";
import { checkCommands, checkWritableHome } from "./check-commands";
import { checkEntrypoints } from "./check-entrypoints";
import { checkBackupReaders, checkIdentities, checkPlaceholderIdentities } from "./check-identities";
import { checkRedisProvided } from "./check-addons";
import { checkMetrics } from "./check-metrics";
import { checkExtendedResources } from "./check-resources";
import { checkKarpenterFallbacks } from "./check-karpenter-pools";
import { checkNodeFit, checkTrainingWithoutEfa } from "./check-node-fit";
import { checkManagedNodeUpgrades, checkNodeLifecycle, checkRendezvousOnSpot } from "./check-node-lifecycle";
import { checkColocation, checkGpuDirect, checkPlacementGroups } from "./check-placement";
import { checkPoolSizes, checkTolerations } from "./check-scheduling";
import { checkNamespaces } from "./check-namespaces";
import { checkMountedClaims, checkStorageClasses } from "./check-storage";
import { checkTriggerReach } from "./check-trigger-reach";
import { karpenterPools, noFacts, type ViabilityFacts } from "./facts";

export type ViabilityReport = SecurityReport;

export function checkViability(objects: readonly KubernetesObject[], facts: ViabilityFacts = noFacts): ViabilityReport {
  const karpenter = karpenterPools(objects);
  // Karpenter's own NodePools describe the same pools as the plan's input, with their disruption settings.
  const pools = [...karpenter, ...facts.pools.filter((p) => !karpenter.some((k) => k.name === p.name))].map((p) => {
    const fromInput = facts.pools.find((f) => f.name === p.name);
    return fromInput && p.karpenter
      ? {
          ...fromInput,
          ...p,
          taints: fromInput.taints,
          maxNodes: fromInput.maxNodes,
          minNodes: fromInput.minNodes,
          gpusPerNode: fromInput.gpusPerNode,
          managedUpgrades: fromInput.managedUpgrades,
          colocated: fromInput.colocated,
        }
      : p;
  });
  const findings: SecurityFinding[] = [
    ...checkTolerations(objects, facts, pools),
    ...checkPoolSizes(objects, pools),
    ...checkNodeFit(objects, pools),
    ...checkKarpenterFallbacks(facts.pools, karpenter),
    ...checkManagedNodeUpgrades(objects, pools),
    ...checkTrainingWithoutEfa(objects, pools),
    ...checkStorageClasses(objects, facts),
    ...checkMountedClaims(objects, facts),
    ...checkEntrypoints(objects),
    ...checkBackups(objects, facts),
    ...checkBackupStore(objects),
    ...checkNodeLifecycle(objects, pools),
    ...checkPlacementGroups(objects, pools),
    ...checkColocation(objects, pools),
    ...checkGpuDirect(objects, pools),
    ...checkRendezvousOnSpot(objects, pools),
    ...checkEgress(objects),
    ...checkExtendedResources(objects, facts),
    ...checkCommands(objects),
    ...checkClaimSeeding(objects),
    ...checkWritableHome(objects),
    ...checkMetrics(objects, facts),
    ...checkRedisProvided(objects, facts),
    ...checkTriggerReach(objects),
    ...checkNamespaces(objects, facts),
    ...checkIdentities(objects, facts),
    ...checkBackupReaders(objects, facts),
    ...checkPlaceholderIdentities(objects, facts),
    ...checkApiAccess(facts),
  ];
  findings.sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      cmp(a.check, b.check) ||
      cmp(a.object.name, b.object.name) ||
      cmp(a.path, b.path),
  );
  const counts = countBySeverity(findings);
  return { score: scoreFindings(counts), counts, findings };
}

const severityRank: Record<SecurityFinding["severity"], number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
