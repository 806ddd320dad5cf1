// The Prometheus Operator's PodMonitor as the plan engine generates it (monitoring.coreos.com/v1, the fields the
// official CRD declares for what the engine sets). No model package covers the operator's CRDs; tests check the
// generated objects against the official CRD in ../shared/schemas/crds as well.
import { z } from "zod";

const labelSelector = z
  .object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z
          .object({
            key: z.string(),
            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
            values: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

// Prometheus durations: 15s, 1m, 1h30m.
const duration = z
  .string()
  .regex(
    /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/,
    "must be a Prometheus duration such as 15s",
  );

export const podMonitorSchema = z.object({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("PodMonitor"),
  metadata: z.object({ name: z.string().min(1), namespace: z.string().min(1) }).passthrough(),
  spec: z
    .object({
      selector: labelSelector,
      namespaceSelector: z
        .object({ any: z.boolean().optional(), matchNames: z.array(z.string()).optional() })
        .strict()
        .optional(),
      podMetricsEndpoints: z
        .array(
          z
            .object({
              port: z.string().min(1),
              path: z.string().startsWith("/").optional(),
              interval: duration.optional(),
              scrapeTimeout: duration.optional(),
              honorLabels: z.boolean().optional(),
            })
            .strict(),
        )
        .min(1, "podMetricsEndpoints is empty: add the metrics port"),
    })
    .strict(),
});
