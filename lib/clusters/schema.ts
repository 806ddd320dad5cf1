// Zod schemas of cluster targets: registering one, the routes' answers (list, registration, connection check).
import { z } from "zod";
import { dns1123LabelPattern } from "@/lib/k8s/names";

/** A cluster target's id in a route's path. */
export const clusterIdParams = z.object({ id: z.string().min(1).max(64) });

export const clusterTargetSchema = z.object({
  name: z
    .string()
    .regex(dns1123LabelPattern, { message: "name must be a DNS-1123 label, e.g. prod-us-west-2" })
    .max(63),
  // Optional: the server is the one the credentials' kubeconfig context names; a value given must be that server.
  apiServer: z
    .string()
    .max(2048)
    .url({
      message:
        "apiServer must be the API server URL, e.g. https://k8s.example.com:6443, or left out to take the context's",
    })
    .optional(),
  credentialRef: z.string().regex(/^(kubeconfig-context:[A-Za-z0-9._@:/-]{1,253}|in-cluster)$/, {
    message: 'credentialRef must be "kubeconfig-context:<context in the server\'s kubeconfig>" or "in-cluster"',
  }),
  protectedNamespaces: z.array(z.string().regex(dns1123LabelPattern)).max(100).default(["kube-system"]),
});

// Responses (Dates are Date here and ISO strings on the wire).

export const clusterTargetRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  apiServer: z.string(),
  credentialRef: z.string(),
  isSandbox: z.boolean(),
  protectedNamespaces: z.array(z.string()),
  createdAt: z.date(),
});
export const clusterListResponse = z.array(clusterTargetRowSchema);
export const registeredClusterResponse = z.object({ id: z.string(), name: z.string(), apiServer: z.string() });
export const clusterCheckResponse = z.object({
  accessible: z.boolean(),
  message: z.string(),
  /** Per namespace the plan would use: whether its GPU ResourceQuota has room (lib/k8s/gpu-quota.ts). */
  gpuQuota: z
    .array(
      z.discriminatedUnion("ok", [
        z.object({
          ok: z.literal(true),
          namespace: z.string(),
          requested: z.number(),
          quota: z.object({ quotaName: z.string(), hard: z.number(), used: z.number() }).optional(),
        }),
        z.object({
          ok: z.literal(false),
          reason: z.literal("quota_exceeded"),
          namespace: z.string(),
          quotaName: z.string(),
          hard: z.number(),
          used: z.number(),
          requested: z.number(),
          message: z.string(),
          recovery: z.array(z.string()),
        }),
      ]),
    )
    .optional(),
});
