// Per-metric replica proposals as the HPA's replica calculator makes them for External metrics
// (kubernetes/pkg/controller/podautoscaler/replica_calculator.go). KEDA registers every trigger as an
// External metric; its default metricType is AverageValue.

// --horizontal-pod-autoscaler-tolerance: changes within 10 % of the target are ignored.
export const hpaTolerance = 0.1;

// GetExternalPerPodMetricReplicas (AverageValue target): the usage ratio compares the metric to
// threshold x current replicas; outside the tolerance the proposal is ceil(metric / threshold),
// independent of the current count.
export function proposeForAverageValue(
  metric: number,
  threshold: number,
  currentReplicas: number,
  tolerance = hpaTolerance,
): number {
  const usageRatio = metric / (threshold * currentReplicas);
  if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
  return Math.ceil(metric / threshold);
}

// GetExternalMetricReplicas (Value target) via getUsageRatioReplicaCount: ratio = metric / threshold;
// outside the tolerance the proposal is ceil(ratio x ready pods) (the pods whose Ready condition is true, not
// spec.replicas: pods still starting do not multiply the ratio); from zero replicas it is ceil(ratio).
export function proposeForValue(
  metric: number,
  threshold: number,
  currentReplicas: number,
  readyPods = currentReplicas,
  tolerance = hpaTolerance,
): number {
  const usageRatio = metric / threshold;
  if (currentReplicas === 0) return Math.ceil(usageRatio);
  if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
  return Math.ceil(usageRatio * readyPods);
}

export interface MetricProposal {
  // NaN when the metric could not be read (an empty result with ignoreNullValues: false, no ready pod).
  metric: number;
  threshold: number;
  metricType: "AverageValue" | "Value";
}

// computeReplicasForMetrics: the largest proposal across metrics wins. A metric that cannot be read makes the
// whole computation fail (null: the HPA changes nothing) when every metric failed, or when the others would
// scale down: a missing metric may only let the deployment grow.
export function proposeReplicas(
  proposals: readonly MetricProposal[],
  currentReplicas: number,
  readyPods = currentReplicas,
  tolerance = hpaTolerance,
): number | null {
  let desired = 0;
  let invalid = 0;
  for (const p of proposals) {
    if (!Number.isFinite(p.metric)) {
      invalid++;
      continue;
    }
    const replicas =
      p.metricType === "AverageValue"
        ? proposeForAverageValue(p.metric, p.threshold, currentReplicas, tolerance)
        : proposeForValue(p.metric, p.threshold, currentReplicas, readyPods, tolerance);
    if (replicas > desired) desired = replicas;
  }
  if (invalid >= proposals.length || (invalid > 0 && desired < currentReplicas)) return null;
  return desired;
}
