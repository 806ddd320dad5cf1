// Per-metric replica proposals as the HPA's replica calculator makes them for External metrics
// (kubernetes/pkg/controller/podautoscaler/replica_calculator.go). KEDA registers every trigger as an
// External metric; its default metricType is AverageValue.

// --horizontal-pod-autoscaler-tolerance: changes within 10 % of the target are ignored.
export const hpaTolerance = 0.1;

// GetExternalPerPodMetricReplicas (AverageValue target): the usage ratio compares the metric to
// threshold x current replicas; outside the tolerance the proposal is ceil(metric / threshold),
// independent of the current count.
export function proposeForAverageValue(metric: number, threshold: number, currentReplicas: number, tolerance = hpaTolerance): number {
  const usageRatio = metric / (threshold * currentReplicas);
  if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
  return Math.ceil(metric / threshold);
}

// GetExternalMetricReplicas (Value target) via getUsageRatioReplicaCount: ratio = metric / threshold;
// outside the tolerance the proposal is ceil(ratio x current); from zero replicas it is ceil(ratio).
export function proposeForValue(metric: number, threshold: number, currentReplicas: number, tolerance = hpaTolerance): number {
  const usageRatio = metric / threshold;
  if (currentReplicas === 0) return Math.ceil(usageRatio);
  if (Math.abs(1 - usageRatio) <= tolerance) return currentReplicas;
  return Math.ceil(usageRatio * currentReplicas);
}

export interface MetricProposal {
  metric: number;
  threshold: number;
  metricType: "AverageValue" | "Value";
}

// computeReplicasForMetrics: the largest proposal across metrics wins.
export function proposeReplicas(proposals: readonly MetricProposal[], currentReplicas: number, tolerance = hpaTolerance): number {
  let desired = 0;
  for (const p of proposals) {
    const replicas =
      p.metricType === "AverageValue"
        ? proposeForAverageValue(p.metric, p.threshold, currentReplicas, tolerance)
        : proposeForValue(p.metric, p.threshold, currentReplicas, tolerance);
    if (replicas > desired) desired = replicas;
  }
  return desired;
}
