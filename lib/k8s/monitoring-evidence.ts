// Is a workload observable? Evidence, in order of strength: a ServiceMonitor/PodMonitor in its namespace whose
// selector matches its pod labels, Prometheus scrape annotations on its pod template, or a KEDA ScaledObject
// with a Prometheus trigger targeting it (which proves the metric is being read).
import type { KubernetesObject } from "./types";

export interface MonitoringVerdict {
  workload: string;
  configured: boolean;
  evidence: string[];
}

type Obj = Record<string, unknown>;
const labelsOfTemplate = (w: KubernetesObject) =>
  ((((w.spec as Obj | undefined)?.template as Obj | undefined)?.metadata as Obj | undefined)?.labels as
    Record<string, string> | undefined) ?? {};
const annotationsOfTemplate = (w: KubernetesObject) =>
  ((((w.spec as Obj | undefined)?.template as Obj | undefined)?.metadata as Obj | undefined)?.annotations as
    Record<string, string> | undefined) ?? {};

function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!matchLabels && Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

export function monitoringEvidence(workload: KubernetesObject, others: readonly KubernetesObject[]): MonitoringVerdict {
  const ns = workload.metadata.namespace;
  const podLabels = labelsOfTemplate(workload);
  const evidence: string[] = [];
  const services = others.filter(
    (o) =>
      o.kind === "Service" &&
      o.metadata.namespace === ns &&
      selects((o.spec as Obj | undefined)?.selector as Record<string, string>, podLabels),
  );
  for (const monitor of others.filter(
    (o) => (o.kind === "ServiceMonitor" || o.kind === "PodMonitor") && o.metadata.namespace === ns,
  )) {
    const matchLabels = ((monitor.spec as Obj | undefined)?.selector as Obj | undefined)?.matchLabels as
      Record<string, string> | undefined;
    const hit =
      monitor.kind === "PodMonitor"
        ? selects(matchLabels, podLabels)
        : services.some((s) => selects(matchLabels, s.metadata.labels ?? {}));
    if (hit) evidence.push(`${monitor.kind} ${monitor.metadata.name} selects it`);
  }
  if (annotationsOfTemplate(workload)["prometheus.io/scrape"] === "true")
    evidence.push("pod template has prometheus.io/scrape=true");
  for (const so of others.filter((o) => o.kind === "ScaledObject" && o.metadata.namespace === ns)) {
    const spec = so.spec as { scaleTargetRef?: { name?: string }; triggers?: Array<{ type?: string }> } | undefined;
    if (spec?.scaleTargetRef?.name === workload.metadata.name && spec.triggers?.some((t) => t.type === "prometheus")) {
      evidence.push(`ScaledObject ${so.metadata.name} scales it on a Prometheus metric`);
    }
  }
  return { workload: `${workload.kind} ${ns}/${workload.metadata.name}`, configured: evidence.length > 0, evidence };
}
