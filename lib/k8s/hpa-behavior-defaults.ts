// The HorizontalPodAutoscaler's behavior as Kubernetes defaults it (pkg/apis/autoscaling/v2/defaults.go,
// GenerateHPAScaleUpRules / GenerateHPAScaleDownRules): each field a user leaves out of a direction's rules,
// or a direction left out altogether, is filled from these by the API server. The plan schema fills them the
// same way and the scaling simulator resolves profiles with them, so both read a behavior as the cluster does.
export interface HpaScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}

export interface HpaScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: "Max" | "Min" | "Disabled";
  policies: HpaScalingPolicy[];
}

// Scale up by max(4 pods, 100 %) per 15 s with no stabilization.
export const kubernetesDefaultScaleUp: Readonly<HpaScalingRules> = Object.freeze<HpaScalingRules>({
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Pods", value: 4, periodSeconds: 15 },
    { type: "Percent", value: 100, periodSeconds: 15 },
  ],
});

// Scale down by 100 % per 15 s after the controller's --horizontal-pod-autoscaler-downscale-stabilization of 300 s.
export const kubernetesDefaultScaleDown: Readonly<HpaScalingRules> = Object.freeze<HpaScalingRules>({
  stabilizationWindowSeconds: 300,
  selectPolicy: "Max",
  policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
});
