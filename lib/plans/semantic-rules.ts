// Rules the schemas cannot express: the CRDs' CEL validations (which no JSON-schema validator runs) and the
// cross-field limits the generated models drop (KEDA's models lose `minimum`, for instance).
import type { KubernetesObject } from "@/lib/k8s/types";
import type { ManifestError } from "./validate-manifests";
import { DNS1123_SUBDOMAIN_MAX_LENGTH, dns1123SubdomainPattern } from "@/lib/k8s/names";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isSet = (v: unknown) => typeof v === "string" && v.trim() !== "";

function podSpecOf(o: KubernetesObject): { spec: Rec; path: string } | undefined {
  const spec = rec(o.spec);
  if (o.kind === "Job") return { spec: rec(rec(spec.template).spec), path: "spec.template.spec" };
  if (o.kind === "ScaledJob")
    return { spec: rec(rec(rec(spec.jobTargetRef).template).spec), path: "spec.jobTargetRef.template.spec" };
  return undefined;
}

export function semanticErrors(o: KubernetesObject): ManifestError[] {
  const id = [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join("/");
  const errors: ManifestError[] = [];
  const fail = (path: string, message: string) => errors.push({ object: id, path, message });
  const spec = rec(o.spec);

  const name = o.metadata?.name;
  if (typeof name !== "string" || name.length > DNS1123_SUBDOMAIN_MAX_LENGTH || !dns1123SubdomainPattern.test(name))
    fail("metadata.name", `"${String(name)}" is not a DNS-1123 subdomain`);

  const pod = podSpecOf(o);
  if (pod && !["Never", "OnFailure"].includes(String(pod.spec.restartPolicy))) {
    fail(
      `${pod.path}.restartPolicy`,
      `a Job's pods must use restartPolicy Never or OnFailure (got ${String(pod.spec.restartPolicy)})`,
    );
  }
  if (o.kind === "Job" && spec.completionMode === "Indexed" && typeof spec.completions !== "number") {
    fail("spec.completions", "an Indexed Job needs completions");
  }

  if (o.kind === "ScaledObject" || o.kind === "ScaledJob") {
    const min = spec.minReplicaCount;
    const max = spec.maxReplicaCount;
    if (typeof min === "number" && min < 0)
      fail("spec.minReplicaCount", `minReplicaCount (${min}) must not be negative`);
    if (typeof min === "number" && typeof max === "number" && min > max)
      fail("spec.maxReplicaCount", `maxReplicaCount (${max}) is below minReplicaCount (${min})`);
    if (arr(spec.triggers).length === 0) fail("spec.triggers", "at least one trigger is required");
    if (o.kind === "ScaledObject" && !isSet(rec(spec.scaleTargetRef).name))
      fail("spec.scaleTargetRef.name", "scaleTargetRef.name may not be empty");
    arr(spec.triggers).forEach((t, i) => {
      if (!isSet(rec(t).type)) fail(`spec.triggers[${i}].type`, "trigger type may not be empty");
      if (
        rec(t).type === "prometheus" &&
        (!isSet(rec(rec(t).metadata).query) || !isSet(rec(rec(t).metadata).serverAddress))
      )
        fail(`spec.triggers[${i}].metadata`, "prometheus triggers need serverAddress and query");
    });
  }

  if (o.kind === "NodePool") {
    const ref = rec(rec(rec(spec.template).spec).nodeClassRef);
    for (const field of ["group", "kind", "name"]) {
      if (!isSet(ref[field]))
        fail(
          `spec.template.spec.nodeClassRef.${field}`,
          `nodeClassRef.${field} may not be empty (Karpenter v1 requires group, kind and name)`,
        );
    }
    const disruption = rec(spec.disruption);
    if (!isSet(disruption.consolidateAfter))
      fail("spec.disruption.consolidateAfter", "consolidateAfter is required in karpenter.sh/v1 (e.g. 5m, or Never)");
    if (
      disruption.consolidationPolicy !== undefined &&
      !["WhenEmpty", "WhenEmptyOrUnderutilized"].includes(String(disruption.consolidationPolicy))
    ) {
      fail(
        "spec.disruption.consolidationPolicy",
        "consolidationPolicy must be WhenEmpty or WhenEmptyOrUnderutilized (WhenUnderutilized was v1beta1)",
      );
    }
    for (const key of Object.keys(rec(rec(rec(spec.template).metadata).labels))) {
      const domain = key.split("/")[0];
      if (
        key.includes("/") &&
        (domain!.endsWith("karpenter.sh") || domain!.endsWith("karpenter.k8s.aws") || key === "kubernetes.io/hostname")
      ) {
        fail(`spec.template.metadata.labels.${key}`, `label "${key}" is restricted by Karpenter: use another prefix`);
      }
    }
    arr(rec(rec(spec.template).spec).requirements).forEach((r, i) => {
      const req = rec(r);
      if (req.operator === "In" && arr(req.values).length === 0)
        fail(`spec.template.spec.requirements[${i}].values`, "requirements with operator In must have a value");
    });
  }

  if (o.kind === "EC2NodeClass") {
    const terms = arr(spec.amiSelectorTerms).map(rec);
    if (terms.length === 0) fail("spec.amiSelectorTerms", "amiSelectorTerms is required in karpenter.k8s.aws/v1");
    if (terms.some((t) => isSet(t.alias)) && terms.length > 1)
      fail("spec.amiSelectorTerms", "an alias term must be the only amiSelectorTerm");
    terms.forEach((t, i) => {
      if (isSet(t.alias) && !/^(al2|al2023|bottlerocket|windows2019|windows2022|windows2025)@.+$/.test(String(t.alias)))
        fail(`spec.amiSelectorTerms[${i}].alias`, "alias must be family@version with a supported family");
    });
    if (!isSet(spec.role) && !isSet(spec.instanceProfile)) fail("spec.role", "role or instanceProfile is required");
  }
  return errors;
}
