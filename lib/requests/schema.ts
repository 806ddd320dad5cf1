// One schema per use case of the request domain: the form, the API and the service functions all parse with these.
import { z } from "zod";
import { requestKinds } from "./request-kinds";

const id = z.string().min(1).max(64);

export const submitRequestSchema = z.object({
  kind: z.enum(requestKinds, { message: `kind must be one of ${requestKinds.join(", ")}` }),
  title: z.string().trim().min(3, { message: "title must be at least 3 characters: say what you need" }).max(120, { message: "title must be at most 120 characters" }),
  teamId: id.describe("the team the request is for"),
  clusterTargetId: id.describe("the cluster the manifests are applied to"),
  /** Plan engine input (lib/plans/schema.ts); validated by planInputSchema in the service. */
  input: z.record(z.string(), z.unknown()),
});
export type SubmitRequestInput = z.output<typeof submitRequestSchema>;

export const decisionSchema = z.object({
  comment: z.string().trim().min(1, { message: "comment is required: say why (the requester reads it)" }).max(2000),
  /** Required to approve a plan with critical security findings. */
  overrideReason: z.string().trim().min(10, { message: "overrideReason must be at least 10 characters: explain why the critical findings are acceptable" }).max(2000).optional(),
});

export const forceApplySchema = z.object({
  reason: z.string().trim().min(10, { message: "reason must be at least 10 characters: say why taking over the conflicting fields is safe" }).max(2000),
});

export const revertSchema = z.object({
  /**
   * The number of objects the confirmation dialog said would be deleted (not those it lists as left in place for
   * other requests); a mismatch means the person confirmed something else.
   */
  confirmObjectCount: z.number().int().min(0),
});

export const requestIdParams = z.object({ id: id });

export const listRequestsQuery = z.object({
  status: z.string().max(40).optional(),
  kind: z.enum(requestKinds).optional(),
  team: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(["createdAt", "-createdAt", "cost", "-cost", "number", "-number"]).default("-createdAt"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

export const timelineQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

export const clusterTargetSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: "name must be a DNS-1123 label, e.g. prod-us-west-2" }).max(63),
  apiServer: z.string().url({ message: "apiServer must be the API server URL, e.g. https://k8s.example.com:6443" }),
  credentialRef: z.string().regex(/^(kubeconfig-context:[A-Za-z0-9._@:/-]{1,253}|in-cluster)$/, { message: 'credentialRef must be "kubeconfig-context:<context in the server\'s kubeconfig>" or "in-cluster"' }),
  protectedNamespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)).max(100).default(["kube-system"]),
});
