// Whether the people applying and operating the plan can reach the cluster's API: a private endpoint needs either
// authorized ranges or a route that runs commands inside the cluster (AKS command invoke, GKE's DNS endpoint), and
// a recovery (helm, velero, kubectl on local files) needs more than command invoke carries.
import type { SecurityFinding } from "@/lib/security/types";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";

export function checkApiAccess(facts: ViabilityFacts): SecurityFinding[] {
  const access = facts.apiAccess;
  if (!access) return [];
  const recoveryBlocked = access.via === "command-invoke" && access.recovery === true;
  if (access.via !== "vpc-only" && !recoveryBlocked) return [];
  // The API server is no Kubernetes object of the set: the finding names the cluster the Terraform creates.
  const cluster = { apiVersion: "terraform", kind: "Cluster", metadata: { name: access.cluster } };
  const cloud = access.cloud === "azure" ? "AKS" : access.cloud === "aws" ? "EKS" : access.cloud.toUpperCase();
  return [
    viabilityFinding(
      "viability.api-unreachable",
      cluster,
      "api_authorized_cidrs",
      recoveryBlocked
        ? `The ${cloud} cluster ${access.cluster} is private and the plan names no authorized ranges: the runbooks go through az aks command invoke, but the recovery's helm, velero and kubectl steps on local files cannot, and a rebuilt cluster's VNet has no machine to run them from.`
        : `The ${cloud} cluster ${access.cluster} has a private API endpoint and the plan names no authorized ranges: kubectl, helm and the runbooks work only from inside its VPC.`,
      recoveryBlocked
        ? "Set api_authorized_cidrs to the ranges the recovery runs from (e.g. 203.0.113.7/32), or run the recovery from a machine peered into the cluster's VNet."
        : "Set api_authorized_cidrs to the ranges you operate from (your office or VPN egress, e.g. 203.0.113.7/32), or run kubectl from a VPN or bastion inside the VPC.",
    ),
  ];
}
