// The Kubernetes minor versions each target can run a plan's cluster on, as of December 2026. Managed services
// support a version for roughly 14 months after they adopt it and then stop creating clusters on it (EKS moves it
// to paid extended support), so a plan outside the range fails at `terraform apply` or lands on an unsupported
// control plane: the schema refuses it, naming the range.
//   EKS  https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (standard support)
//   GKE  https://cloud.google.com/kubernetes-engine/docs/release-schedule (versions available in the Regular channel)
//   AKS  https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (GA minors, N-2)
//   kubeadm builds any release whose configuration API it writes (v1beta3 from 1.22, v1beta4 from 1.31); the plan
//   keeps the oldest release the portal still has kubelet packages for.
import type { PlanInput } from "./schema";

export interface VersionRange {
  min: number;
  max: number;
  service: string;
}

export const supportedKubernetesMinors: Record<PlanInput["cloud_provider"], VersionRange> = {
  aws: { min: 34, max: 36, service: "EKS" },
  gcp: { min: 34, max: 36, service: "GKE" },
  azure: { min: 34, max: 36, service: "AKS" },
  on_premise: { min: 29, max: 36, service: "kubeadm" },
};

/** Why a "1.NN" version is outside the target's range, or undefined when it is in it. */
export function kubernetesVersionProblem(cloud: PlanInput["cloud_provider"], version: string): string | undefined {
  const range = supportedKubernetesMinors[cloud];
  const minor = Number(version.split(".")[1]);
  if (minor >= range.min && minor <= range.max) return undefined;
  return `kubernetes_version ${version} is not supported by ${range.service}: use 1.${range.min} to 1.${range.max}`;
}
