// One schema per use case of the request domain: the form, the API and the service functions all parse with these.
import { z } from "zod";
import { requestKinds } from "./request-kinds";
import { objectKey } from "./object-identity";
import { dns1123LabelPattern, dns1123SubdomainSource } from "@/lib/k8s/names";
import { storedPlanOutputSchema } from "@/lib/plans/plan-output-schema";

const id = z.string().min(1).max(64);

export const submitRequestSchema = z.object({
  kind: z.enum(requestKinds, { message: `kind must be one of ${requestKinds.join(", ")}` }),
  title: z
    .string()
    .trim()
    .min(3, { message: "title must be at least 3 characters: say what you need" })
    .max(120, { message: "title must be at most 120 characters" }),
  teamId: id.describe("the team the request is for"),
  clusterTargetId: id.describe("the cluster the manifests are applied to"),
  /** Plan engine input (lib/plans/schema.ts); validated by planInputSchema in the service. */
  input: z.record(z.string(), z.unknown()),
  /** The cost recommendation this request acts on ("Create request"): it then shows the request's progress. */
  recommendationId: id.describe("the cost recommendation the request acts on").optional(),
});
export type SubmitRequestInput = z.output<typeof submitRequestSchema>;

export const decisionSchema = z.object({
  comment: z.string().trim().min(1, { message: "comment is required: say why (the requester reads it)" }).max(2000),
  /** Required to approve a plan with critical security findings. */
  overrideReason: z
    .string()
    .trim()
    .min(10, {
      message: "overrideReason must be at least 10 characters: explain why the critical findings are acceptable",
    })
    .max(2000)
    .optional(),
  /** Approve although the latest pre-condition check warned or failed: the approver has read it. */
  acknowledgePrecheck: z.boolean().optional(),
});

export const forceApplySchema = z.object({
  reason: z
    .string()
    .trim()
    .min(10, { message: "reason must be at least 10 characters: say why taking over the conflicting fields is safe" })
    .max(2000),
});

/** At most this many objects in one revert confirmation: far more than any plan holds, and well under the 1 MB body. */
export const MAX_CONFIRMED_DELETES = 1000;

const apiVersionPattern = new RegExp(`^(${dns1123SubdomainSource}\\/)?v[0-9]+((alpha|beta)[0-9]+)?$`);

/** One object a revert confirmation names: its identity in the cluster, as the dialog listed it. */
export const confirmedObjectRef = z.object({
  apiVersion: z
    .string()
    .max(317)
    .regex(apiVersionPattern, { message: 'apiVersion must be "v1" or "<group>/<version>", e.g. "apps/v1"' }),
  kind: z
    .string()
    .max(63)
    .regex(/^[A-Z][A-Za-z0-9]*$/, { message: 'kind must be a Kubernetes kind, e.g. "Deployment"' }),
  /** Absent for cluster-scoped objects (Namespace, ClusterRole). */
  namespace: z
    .string()
    .max(63)
    .regex(dns1123LabelPattern, {
      message: "namespace must be a DNS-1123 label; leave it out for cluster-scoped objects",
    })
    .optional(),
  // Kubernetes names are path segments: most kinds are stricter (DNS-1123), none allows '/' or '%'.
  name: z
    .string()
    .min(1, { message: "name is required" })
    .max(253, { message: "name must be at most 253 characters" })
    .regex(/^[^/%\s]*$/, { message: "name must be the object's name, without '/', '%' or spaces" })
    .refine((n) => n !== "." && n !== "..", { message: "name must not be '.' or '..'" }),
});

export const revertSchema = z.object(
  {
    /**
     * The objects the confirmation dialog listed as to be deleted (not those it lists as left in place for other
     * requests). The endpoint refuses with 409 when its plan would delete other objects; the job deletes only these.
     */
    confirmedDeletes: z
      .array(confirmedObjectRef, {
        error: (issue) =>
          issue.input === undefined
            ? "confirmedDeletes is required: send the objects the confirmation listed as to be deleted ({ apiVersion, kind, namespace, name } each; [] when it deletes none); a count alone (confirmObjectCount) is no longer accepted"
            : "confirmedDeletes must be a list of objects ({ apiVersion, kind, namespace, name } each)",
      })
      .max(MAX_CONFIRMED_DELETES, { message: `confirmedDeletes must list at most ${MAX_CONFIRMED_DELETES} objects` })
      .superRefine((refs, ctx) => {
        const seen = new Set<string>();
        refs.forEach((ref, index) => {
          const key = objectKey(ref);
          if (seen.has(key))
            ctx.addIssue({
              code: "custom",
              path: [index],
              message: `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name} is listed twice: list each object once`,
            });
          seen.add(key);
        });
      }),
  },
  {
    error: "the body must be a JSON object with confirmedDeletes: the objects the confirmation listed as to be deleted",
  },
);

export const requestIdParams = z.object({ id: id });

/** The statuses of a request (prisma enum RequestStatus), in the order the list's filter shows them. */
export const requestStatuses = [
  "pending_approval",
  "approved",
  "applying",
  "applied",
  "apply_failed",
  "rejected",
  "reverted",
  "cancelled",
] as const;

export const listRequestsQuery = z.object({
  // An empty filter (the form's "any") is no filter; anything else must be a status, not a database error.
  status: z
    .enum(requestStatuses, { message: `status must be one of ${requestStatuses.join(", ")}` })
    .or(z.literal("").transform(() => undefined))
    .optional(),
  kind: z.enum(requestKinds).optional(),
  team: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(["createdAt", "-createdAt", "cost", "-cost", "number", "-number"]).default("-createdAt"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

export const timelineQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

// Responses: what the request routes answer, for route() (tsc and a check outside production), the OpenAPI document
// and the typed client (lib/client). Dates are Date here and ISO strings on the wire.

export const objectRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});
const requestHandle = z.object({ requestId: z.string(), number: z.number().int() });
const fieldDifference = z.object({ path: z.string(), desired: z.unknown(), live: z.unknown() });
const fieldConflict = z.object({ field: z.string(), manager: z.string() });

export const requestSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  kind: z.string(),
  title: z.string(),
  status: z.string(),
  teamName: z.string(),
  requesterName: z.string(),
  clusterName: z.string().nullable(),
  monthlyCostUsd: z.number(),
  securityScore: z.number(),
  criticalFindings: z.number().int(),
  createdAt: z.date(),
});
export const requestListResponse = z.object({
  items: z.array(requestSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const submittedRequestResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  status: z.enum(requestStatuses),
});

const applyResultSchema = z.object({
  phase: z.string(),
  index: z.number().int(),
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  outcome: z.string(),
  httpStatus: z.number().int().nullable(),
  message: z.string().nullable(),
  conflicts: z.array(fieldConflict).nullable(),
});
export const applyRunSchema = z.object({
  id: z.string(),
  operation: z.string(),
  status: z.string(),
  attempt: z.number().int(),
  force: z.boolean(),
  forceReason: z.string().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  error: z.string().nullable(),
  results: z.array(applyResultSchema),
});
/** A git-mode delivery as last read from GitHub and the cluster: commit, pull request (merged, with the merge's sha) and sync. */
export const gitDeliveryView = z.object({
  operation: z.enum(["apply", "revert"]),
  branch: z.string(),
  files: z.array(z.string()),
  commitSha: z.string().nullable(),
  prNumber: z.number().int().nullable(),
  prUrl: z.string().nullable(),
  pr: z
    .object({
      state: z.string().nullable(),
      mergeSha: z.string().nullable(),
      mergedAt: z.date().nullable(),
      checkedAt: z.date().nullable(),
      readError: z.string().nullable(),
    })
    .nullable(),
  state: z.enum(["committed", "pr_open", "merged", "synced", "failed"]),
  reason: z.string().nullable(),
  updatedAt: z.date(),
  repoUrl: z.string().nullable(),
  sync: z
    .object({
      state: z.string(),
      revision: z.string().nullable(),
      health: z.string().nullable(),
      message: z.string(),
      checkedAt: z.date().nullable(),
    })
    .nullable(),
});
export const requestDetailResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  kind: z.enum(requestKinds),
  title: z.string(),
  status: z.enum(requestStatuses),
  team: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  requester: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  clusterTarget: z.object({ id: z.string(), name: z.string(), isSandbox: z.boolean() }).nullable(),
  input: z.unknown(),
  plan: storedPlanOutputSchema,
  planHash: z.string(),
  monthlyCostUsd: z.number(),
  securityScore: z.number(),
  criticalFindings: z.number().int(),
  createdAt: z.date(),
  appliedAt: z.date().nullable(),
  approval: z
    .object({
      decision: z.string(),
      comment: z.string(),
      overrideReason: z.string().nullable(),
      approverName: z.string(),
      createdAt: z.date(),
    })
    .nullable(),
  applyRuns: z.array(applyRunSchema),
  createdObjects: z.array(objectRefSchema),
  revertLeavesInPlace: z.array(z.object({ ref: objectRefSchema, stillAppliedBy: z.array(requestHandle) })),
  revertInherits: z.array(
    z.object({ ref: objectRefSchema, createdBy: z.array(requestHandle), leftForThisRequest: z.boolean() }),
  ),
  /** A git-mode delivery as the worker last read it: commit, pull request (merged, with the merge's sha) and sync. */
  gitDelivery: gitDeliveryView.nullable(),
  /** The latest pre-condition check (a dry-run by anyone), shown to the approver; null when none ran. */
  precheck: z.lazy(() => precheckView).nullable(),
  permissions: z.object({
    approve: z.boolean(),
    reject: z.boolean(),
    forceApply: z.boolean(),
    revert: z.boolean(),
    checkDrift: z.boolean(),
  }),
});
export const timelineResponse = z.object({
  status: z.enum(requestStatuses),
  events: z.array(
    z.object({ id: z.number().int(), at: z.date(), type: z.string(), message: z.string(), data: z.unknown() }),
  ),
});
export const decisionResponse = z.object({
  status: z.enum(["approved", "rejected"]),
  applyRunId: z.string().nullable(),
});
export const applyRunStartedResponse = z.object({ applyRunId: z.string() });
const kubernetesFailure = z.object({
  kind: z.enum(["api", "unknown_kind", "network", "timeout", "unexpected"]),
  code: z.number().int().optional(),
  reason: z.string().optional(),
  message: z.string(),
  retryable: z.boolean(),
});
export const driftResponse = z.object({
  nothingApplied: z.boolean(),
  /** The post-conditions re-read now (objects exist, workloads ready, monitoring), each with why and what to do. */
  postconditions: z.array(
    z.object({
      check: z.enum(["objects_exist", "workloads_ready", "monitoring_configured"]),
      label: z.string(),
      state: z.enum(["ok", "not_yet", "failed"]),
      reason: z.string(),
      action: z.string(),
    }),
  ),
  compared: z.number().int(),
  planned: z.number().int(),
  drifted: z.boolean(),
  objects: z.array(
    z.object({
      ref: objectRefSchema,
      status: z.enum(["in_sync", "drifted", "missing", "unknown"]),
      differences: z.array(fieldDifference),
      failure: kubernetesFailure.optional(),
    }),
  ),
});
export const dryRunResponse = z.object({
  ok: z.boolean(),
  cluster: z.object({ name: z.string(), isSandbox: z.boolean() }),
  preconditions: z.object({
    ok: z.boolean(),
    verdict: z.enum(["pass", "warning", "fail"]),
    summary: z.string(),
    reachability: z.object({ ok: z.boolean(), message: z.string() }),
    quota: z.array(
      z.object({
        namespace: z.string(),
        needed: z.number(),
        neededAtPeak: z.number(),
        left: z.number().nullable(),
        quotaName: z.string().nullable(),
        hard: z.number().nullable(),
        used: z.number().nullable(),
        verdict: z.enum(["fits", "fits_floor_only", "exceeded"]),
        message: z.string(),
      }),
    ),
    quotaError: z.string().optional(),
    capacity: z
      .array(
        z.object({
          selector: z.string(),
          affinity: z.string(),
          needed: z.number(),
          allocatable: z.number(),
          free: z.number(),
          clusterAllocatable: z.number(),
          clusterFree: z.number(),
          fits: z.boolean(),
          excluded: z.array(
            z.object({
              pool: z.string(),
              reason: z.enum(["selector", "taint"]),
              detail: z.string(),
              allocatable: z.number(),
              free: z.number(),
            }),
          ),
          message: z.string(),
        }),
      )
      .optional(),
    capacityError: z.string().optional(),
    conflicts: z
      .array(
        z.object({
          ref: objectRefSchema,
          source: z.enum(["applied", "open", "unmanaged"]),
          owners: z.array(z.object({ number: z.number() })),
          blocking: z.boolean(),
          message: z.string(),
        }),
      )
      .optional(),
  }),
  results: z.array(
    z.object({
      ref: objectRefSchema,
      outcome: z.string(),
      message: z.string(),
      changes: z.array(fieldDifference),
      conflicts: z.array(fieldConflict),
    }),
  ),
});

/** A request's latest pre-condition check as its timeline keeps it (lib/requests/precheck.ts). */
export const precheckView = z.object({
  checkedAt: z.date(),
  checkedBy: z.string(),
  preconditions: dryRunResponse.shape.preconditions,
});
