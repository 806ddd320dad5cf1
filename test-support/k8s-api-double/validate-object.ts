// The API server's validation for the mistakes a generator can make: names, replicas, selectors, containers.
import type { StatusCause } from "./api-status";
import { isPlainObject } from "./field-paths";

// The double keeps its own copy of the patterns: it stands for the API server, so sharing lib/k8s/names.ts with
// the code under test would let a wrong pattern pass on both sides.
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelKinds = new Set(["Namespace", "Service"]);

function checkName(kind: string, name: unknown, causes: StatusCause[]) {
  if (typeof name !== "string" || name === "") {
    causes.push({
      reason: "FieldValueRequired",
      field: "metadata.name",
      message: "Required value: name or generateName is required",
    });
    return;
  }
  if (labelKinds.has(kind)) {
    if (name.length > 63 || !dns1123Label.test(name)) {
      causes.push({
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      });
    }
  } else if (name.length > 253 || !dns1123Subdomain.test(name)) {
    causes.push({
      field: "metadata.name",
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
}

function checkPodSpec(spec: unknown, field: string, causes: StatusCause[], restartPolicies?: string[]) {
  const podSpec = isPlainObject(spec) ? spec : {};
  const containers = podSpec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ reason: "FieldValueRequired", field: `${field}.containers`, message: "Required value" });
  } else {
    containers.forEach((c, i) => {
      const container = isPlainObject(c) ? c : {};
      if (typeof container.name !== "string" || !dns1123Label.test(container.name)) {
        causes.push({
          reason: "FieldValueRequired",
          field: `${field}.containers[${i}].name`,
          message: "Required value",
        });
      }
      if (typeof container.image !== "string" || container.image === "") {
        causes.push({
          reason: "FieldValueRequired",
          field: `${field}.containers[${i}].image`,
          message: "Required value",
        });
      }
    });
  }
  if (
    restartPolicies &&
    podSpec.restartPolicy !== undefined &&
    !restartPolicies.includes(String(podSpec.restartPolicy))
  ) {
    causes.push({
      reason: "FieldValueNotSupported",
      field: `${field}.restartPolicy`,
      message: `Unsupported value: "${podSpec.restartPolicy}": supported values: ${restartPolicies.map((p) => `"${p}"`).join(", ")}`,
    });
  }
}

function checkWorkload(obj: Record<string, unknown>, causes: StatusCause[]) {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const replicas = spec.replicas;
  if (replicas !== undefined && (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)) {
    causes.push({
      field: "spec.replicas",
      message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    });
  }
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  const matchLabels = isPlainObject(selector?.matchLabels)
    ? (selector!.matchLabels as Record<string, string>)
    : undefined;
  if (!selector) causes.push({ reason: "FieldValueRequired", field: "spec.selector", message: "Required value" });
  const template = isPlainObject(spec.template) ? spec.template : {};
  const templateLabels = (
    isPlainObject(template.metadata) && isPlainObject(template.metadata.labels) ? template.metadata.labels : {}
  ) as Record<string, string>;
  if (matchLabels && Object.entries(matchLabels).some(([k, v]) => templateLabels[k] !== v)) {
    causes.push({
      field: "spec.template.metadata.labels",
      message: `Invalid value: ${JSON.stringify(templateLabels)}: \`selector\` does not match template \`labels\``,
    });
  }
  checkPodSpec(
    template.spec,
    "spec.template.spec",
    causes,
    obj.kind === "Deployment" || obj.kind === "DaemonSet" ? ["Always"] : undefined,
  );
}

export function validateObject(obj: Record<string, unknown>, { requireName }: { requireName: boolean }): StatusCause[] {
  const causes: StatusCause[] = [];
  const kind = String(obj.kind);
  const metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  if (requireName || metadata.name !== undefined) checkName(kind, metadata.name, causes);
  if (["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"].includes(kind)) checkWorkload(obj, causes);
  if (kind === "Job") {
    const template = isPlainObject(obj.spec) && isPlainObject(obj.spec.template) ? obj.spec.template : {};
    checkPodSpec(template.spec, "spec.template.spec", causes, ["OnFailure", "Never"]);
    if (isPlainObject(template.spec) && template.spec.restartPolicy === undefined) {
      causes.push({
        reason: "FieldValueRequired",
        field: "spec.template.spec.restartPolicy",
        message: 'Required value: valid values: "OnFailure", "Never"',
      });
    }
  }
  if (kind === "HorizontalPodAutoscaler" && isPlainObject(obj.spec)) {
    const { minReplicas = 1, maxReplicas } = obj.spec as { minReplicas?: number; maxReplicas?: number };
    if (typeof maxReplicas !== "number")
      causes.push({ reason: "FieldValueRequired", field: "spec.maxReplicas", message: "Required value" });
    else if (maxReplicas < minReplicas) {
      causes.push({
        field: "spec.maxReplicas",
        message: `Invalid value: ${maxReplicas}: must be greater than or equal to \`minReplicas\``,
      });
    }
  }
  if (kind === "ScaledObject") {
    const ref = isPlainObject(obj.spec) && isPlainObject(obj.spec.scaleTargetRef) ? obj.spec.scaleTargetRef : undefined;
    if (!ref || typeof ref.name !== "string")
      causes.push({ reason: "FieldValueRequired", field: "spec.scaleTargetRef.name", message: "Required value" });
  }
  return causes;
}
