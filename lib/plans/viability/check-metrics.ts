// Autoscalers read metrics that exist: every series a KEDA Prometheus trigger queries is exported by the server
// the target pods run (or by an exporter the cluster runs) and something scrapes it; the trigger asks the
// Prometheus that does the scraping, which the namespace's NetworkPolicies let in to the metrics port.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, listContainers } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { knownImage } from "./images";
import { podFacts, refName, type PodFacts } from "./pods";
import { exportsSeries, tritonHistogramsOn } from "./series-catalog";

const promqlKeywords = new Set([
  "sum",
  "avg",
  "min",
  "max",
  "count",
  "rate",
  "irate",
  "increase",
  "histogram_quantile",
  "by",
  "without",
  "or",
  "and",
  "unless",
  "on",
  "ignoring",
  "le",
  "bool",
  "offset",
  "abs",
  "clamp_min",
  "clamp_max",
  "vector",
  "scalar",
  "topk",
  "bottomk",
  "quantile",
  "group_left",
  "group_right",
  "time",
]);

/** Metric names a PromQL expression reads (identifiers outside label matchers and strings, not functions). */
export function seriesOf(query: string): string[] {
  const stripped = query
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]");
  const names = [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => stripped[m.index! + m[0].length] !== "(" && !promqlKeywords.has(m[0]))
    .map((m) => m[0]);
  return [...new Set(names)];
}

/** Who exports a series: a model server (by its metric prefix) or a node exporter. */
function exporterOf(series: string): "vllm" | "triton" | "dcgm" | undefined {
  if (series.startsWith("vllm:")) return "vllm";
  if (series.startsWith("nv_")) return "triton";
  if (series.startsWith("DCGM_")) return "dcgm";
  return undefined;
}

function selectsLabels(selector: Record<string, unknown> | undefined, labels: Record<string, string>): boolean {
  if (!selector || asArray(selector.matchExpressions).length > 0) return false;
  return Object.entries(asRecord(selector.matchLabels) ?? {}).every(([k, v]) => labels[k] === v);
}

/** Whether a PodMonitor in the pod's namespace scrapes a port the server container declares. */
function scraped(pod: PodFacts, objects: readonly KubernetesObject[], ports: string[]): boolean {
  return objects.some((o) => {
    if (o.kind !== "PodMonitor" || !o.apiVersion.startsWith("monitoring.coreos.com/")) return false;
    const spec = asRecord(o.spec) ?? {};
    const namespaces = asArray(asRecord(spec.namespaceSelector)?.matchNames).map(String);
    const inNamespace =
      namespaces.length > 0 ? namespaces.includes(pod.namespace) : (o.metadata.namespace ?? "") === pod.namespace;
    if (!inNamespace || !selectsLabels(asRecord(spec.selector), pod.labels)) return false;
    return asArray(spec.podMetricsEndpoints).some((e) => ports.includes(String(asRecord(e)?.port ?? "")));
  });
}

/** The namespaces the pod's NetworkPolicies admit on a port, or undefined when its ingress is not default-deny. */
function admittedNamespaces(pod: PodFacts, objects: readonly KubernetesObject[], port: number): string[] | undefined {
  const policies = objects.filter((o) => o.kind === "NetworkPolicy" && (o.metadata.namespace ?? "") === pod.namespace);
  const ingressPolicies = policies.filter(
    (p) =>
      asArray(asRecord(p.spec)?.policyTypes).includes("Ingress") &&
      selectsLabels(asRecord(asRecord(p.spec)?.podSelector) ?? {}, pod.labels),
  );
  if (ingressPolicies.length === 0) return undefined;
  return ingressPolicies.flatMap((p) =>
    asArray(asRecord(p.spec)?.ingress)
      .map((r) => asRecord(r) ?? {})
      .filter((r) => asArray(r.ports).length === 0 || asArray(r.ports).some((x) => Number(asRecord(x)?.port) === port))
      .flatMap((r) =>
        asArray(r.from).map((f) =>
          String(
            asRecord(asRecord(asRecord(f)?.namespaceSelector)?.matchLabels)?.["kubernetes.io/metadata.name"] ?? "",
          ),
        ),
      ),
  );
}

/** The namespace of an in-cluster Service URL (http://svc.ns.svc:9090), if it is one. */
export function serviceNamespace(address: string): string | undefined {
  const host = /^https?:\/\/([^/:]+)/.exec(address)?.[1] ?? "";
  const parts = host.split(".");
  return parts.length >= 3 && parts[2] === "svc" ? parts[1] : undefined;
}

function unknownSeries(
  scaler: KubernetesObject,
  trigger: Record<string, unknown>,
  i: number,
  series: string,
  exporter: string,
): SecurityFinding {
  return viabilityFinding(
    "viability.unscraped-series",
    scaler,
    `spec.triggers[${i}].metadata.query`,
    `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} reads ${series}, a series ${exporter} does not export${series.startsWith("nv_inference_first_response_histogram") ? " unless started with --metrics-config histogram_latencies=true" : ""}: the query returns nothing.`,
    `Query a series ${exporter} exports (see its metrics documentation), or switch the metric on.`,
  );
}

/** Whether a query filters on the plain pod or namespace label (not exported_pod/exported_namespace). */
function readsPodLabels(query: string): boolean {
  return [...query.matchAll(/\{([^}]*)\}/g)].some((m) => /(^|[\s,])(pod|namespace)\s*(=~|!~|!=|=)/.test(m[1] ?? ""));
}

/** Whether DCGM's pod/namespace labels survive the scrape: the plan's exporter or a ServiceMonitor says honorLabels. */
function dcgmKeepsPodLabels(objects: readonly KubernetesObject[], facts: ViabilityFacts): boolean {
  if (facts.dcgmHonorLabels) return true;
  return objects.some(
    (o) =>
      o.kind === "ServiceMonitor" &&
      /dcgm/i.test(o.metadata.name) &&
      asArray(asRecord(o.spec)?.endpoints).some((e) => asRecord(e)?.honorLabels === true),
  );
}

/**
 * Whether every trigger reads series only the target's own pods export (the model server's, or DCGM filtered to
 * them): at zero replicas nothing reports, so the scaler never sees load and never wakes.
 */
function onlyOwnPodTriggers(triggers: Record<string, unknown>[]): boolean {
  return (
    triggers.length > 0 &&
    triggers.every((t) => {
      if (t.type !== "prometheus") return false;
      const series = seriesOf(String(asRecord(t.metadata)?.query ?? ""));
      return series.length > 0 && series.every((s) => exporterOf(s) !== undefined);
    })
  );
}

export function checkMetrics(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const scaler of objects.filter((o) => o.kind === "ScaledObject" && o.apiVersion.startsWith("keda.sh/"))) {
    const spec = asRecord(scaler.spec) ?? {};
    const triggers = asArray(spec.triggers).map((t) => asRecord(t) ?? {});
    if (Number(spec.minReplicaCount ?? 0) === 0 && onlyOwnPodTriggers(triggers)) {
      findings.push(
        viabilityFinding(
          "viability.unscraped-series",
          scaler,
          "spec.minReplicaCount",
          `${refName(scaler)} may scale to 0, but every trigger reads metrics the target's own pods export: at 0 replicas no series exists, so it never scales up again.`,
          "Set spec.minReplicaCount to 1 or more, or add a trigger on a source outside the pods (a queue, a gateway's request rate).",
        ),
      );
    }
  }
  for (const scaler of objects.filter((o) => o.kind === "ScaledObject" && o.apiVersion.startsWith("keda.sh/"))) {
    const spec = asRecord(scaler.spec) ?? {};
    const ref = asRecord(spec.scaleTargetRef) ?? {};
    const target = objects.find(
      (o) =>
        o.kind === String(ref.kind ?? "Deployment") &&
        o.metadata.name === ref.name &&
        (o.metadata.namespace ?? "") === (scaler.metadata.namespace ?? ""),
    );
    const pod = target && podFacts(target);
    asArray(spec.triggers).forEach((t, i) => {
      const trigger = asRecord(t) ?? {};
      if (trigger.type !== "prometheus") return;
      const metadata = asRecord(trigger.metadata) ?? {};
      const path = `spec.triggers[${i}].metadata`;
      const address = String(metadata.serverAddress ?? "");
      if (facts.prometheusAddress && address !== facts.prometheusAddress) {
        findings.push(
          viabilityFinding(
            "viability.wrong-prometheus",
            scaler,
            `${path}.serverAddress`,
            `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} queries ${address}, but the plan's PodMonitors are scraped by the Prometheus at ${facts.prometheusAddress}.`,
            `Set ${path}.serverAddress to ${facts.prometheusAddress} (autoscaling.prometheus_address is the one place to change it).`,
          ),
        );
      }
      if (!pod) return;
      const servers = listContainers(pod.location)
        .filter((c) => c.list !== "ephemeralContainers")
        .map((c) => ({ c, known: knownImage(String(c.container.image ?? "")) }))
        .filter((x) => x.known?.server);
      const serverNamespace = serviceNamespace(address);
      for (const series of seriesOf(String(metadata.query ?? ""))) {
        const exporter = exporterOf(series);
        if (exporter === "dcgm") {
          if (facts.scrapedExporters && !facts.scrapedExporters.includes("dcgm")) {
            findings.push(
              viabilityFinding(
                "viability.unscraped-series",
                scaler,
                `${path}.query`,
                `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} reads ${series}, but no DCGM exporter runs and is scraped on this cluster.`,
                "Install the NVIDIA DCGM exporter (GPU Operator with dcgmExporter.serviceMonitor.enabled) or use a trigger on the model server's own metrics.",
              ),
            );
          }
          if (!exportsSeries("dcgm", series)) {
            findings.push(unknownSeries(scaler, trigger, i, series, "the DCGM exporter (default counters)"));
          } else if (readsPodLabels(String(metadata.query ?? "")) && !dcgmKeepsPodLabels(objects, facts)) {
            findings.push(
              viabilityFinding(
                "viability.unscraped-series",
                scaler,
                `${path}.query`,
                `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} filters ${series} on pod/namespace, but the exporter's scrape keeps its own pod and namespace there (the GPU's workload arrives as exported_pod/exported_namespace): the query matches nothing.`,
                "Filter on exported_pod/exported_namespace, or set honorLabels: true on the DCGM exporter's ServiceMonitor endpoint.",
              ),
            );
          }
          continue;
        }
        if (servers.length === 0) continue; // a server the checker does not know: it cannot say what it exports
        const server = servers[0];
        const kind = server!.known!.server!;
        if (exporter !== kind) {
          findings.push(
            viabilityFinding(
              "viability.unscraped-series",
              scaler,
              `${path}.query`,
              `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} reads ${series}, which ${server!.known!.label} (container "${String(server!.c.container.name)}" of ${refName(target!)}) does not export: the query returns nothing.`,
              `Query a series ${kind === "vllm" ? "vLLM exports (vllm:num_requests_waiting, vllm:time_to_first_token_seconds_bucket, ...)" : "Triton exports (nv_inference_pending_request_count, nv_inference_request_duration_us, ...)"}.`,
            ),
          );
          continue;
        }
        const commandLine = [...asArray(server!.c.container.command), ...asArray(server!.c.container.args)].map(String);
        if (!exportsSeries(kind, series, { tritonHistograms: tritonHistogramsOn(commandLine) })) {
          findings.push(unknownSeries(scaler, trigger, i, series, server!.known!.label));
          continue;
        }
        const ports = asArray(server!.c.container.ports).map((p) => asRecord(p) ?? {});
        const metricsPorts = ports.filter((p) => (kind === "vllm" ? p.name === "http" : p.name === "metrics"));
        if (
          !scraped(
            pod,
            objects,
            metricsPorts.map((p) => String(p.name)),
          )
        ) {
          findings.push(
            viabilityFinding(
              "viability.unscraped-series",
              scaler,
              `${path}.query`,
              `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} reads ${series}, but no PodMonitor scrapes the ${kind === "vllm" ? "API" : "metrics"} port of ${refName(target!)}: Prometheus never has the series.`,
              `Add a PodMonitor in ${pod.namespace} selecting the pods' labels with podMetricsEndpoints port "${metricsPorts[0]?.name ?? "metrics"}", path /metrics.`,
            ),
          );
          continue;
        }
        const admitted = metricsPorts.length
          ? admittedNamespaces(pod, objects, Number(metricsPorts[0]!.containerPort))
          : undefined;
        if (admitted && serverNamespace && !admitted.includes(serverNamespace)) {
          findings.push(
            viabilityFinding(
              "viability.wrong-prometheus",
              scaler,
              `${path}.serverAddress`,
              `Trigger "${String(trigger.name ?? i)}" of ${refName(scaler)} asks the Prometheus in namespace ${serverNamespace}, but the NetworkPolicies of ${pod.namespace} let only ${admitted.filter(Boolean).join(", ") || "no namespace"} scrape port ${String(metricsPorts[0]!.containerPort)}: that Prometheus has no series.`,
              `Point ${path}.serverAddress at the Prometheus in ${admitted.filter(Boolean)[0] ?? "the monitoring namespace"}, or allow ingress from ${serverNamespace} on the metrics port.`,
            ),
          );
        }
      }
    });
  }
  return findings;
}
