import { describe, expect, it } from "vitest";
import { monitoringEvidence } from "./monitoring-evidence";
import type { KubernetesObject } from "./types";

const workload = (annotations: Record<string, string> = {}): KubernetesObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "llm", namespace: "ml" },
  spec: { template: { metadata: { labels: { app: "llm" }, annotations } } },
});
const service: KubernetesObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "llm", namespace: "ml", labels: { app: "llm" } },
  spec: { selector: { app: "llm" } },
};
const serviceMonitor = (match: Record<string, string>, namespace = "ml"): KubernetesObject => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "ServiceMonitor",
  metadata: { name: "llm", namespace },
  spec: { selector: { matchLabels: match } },
});
const scaledObject = (trigger: string): KubernetesObject => ({
  apiVersion: "keda.sh/v1alpha1",
  kind: "ScaledObject",
  metadata: { name: "llm", namespace: "ml" },
  spec: { scaleTargetRef: { name: "llm" }, triggers: [{ type: trigger }] },
});

describe("monitoringEvidence", () => {
  it.each([
    ["a ServiceMonitor selecting its Service", workload(), [service, serviceMonitor({ app: "llm" })], true],
    ["a ServiceMonitor for another app", workload(), [service, serviceMonitor({ app: "other" })], false],
    [
      "a ServiceMonitor in another namespace",
      workload(),
      [service, serviceMonitor({ app: "llm" }, "elsewhere")],
      false,
    ],
    ["scrape annotations", workload({ "prometheus.io/scrape": "true" }), [], true],
    ["a Prometheus-triggered ScaledObject", workload(), [scaledObject("prometheus")], true],
    ["a CPU-triggered ScaledObject only", workload(), [scaledObject("cpu")], false],
    ["nothing", workload(), [], false],
  ])("%s", (_name, w, others, configured) => {
    expect(monitoringEvidence(w, others).configured).toBe(configured);
  });
});
