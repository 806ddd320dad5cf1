import { describe, expect, it } from "vitest";
import { fieldErrorsFromIssues } from "@/lib/errors/domain-error";
import { MAX_CONFIRMED_DELETES, revertSchema } from "./schema";

const deploy = { apiVersion: "apps/v1", kind: "Deployment", namespace: "team-a", name: "server" };
const ns = { apiVersion: "v1", kind: "Namespace", name: "team-a" };
const errorsOf = (body: unknown) => {
  const parsed = revertSchema.safeParse(body);
  return parsed.success ? [] : fieldErrorsFromIssues(parsed.error.issues);
};

describe("revertSchema", () => {
  it.each([
    { case: "namespaced and cluster-scoped objects", body: { confirmedDeletes: [deploy, ns] } },
    { case: "nothing to delete", body: { confirmedDeletes: [] } },
    {
      case: "a group with dots and a beta version",
      body: {
        confirmedDeletes: [
          { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", namespace: "team-a", name: "server-scaler" },
        ],
      },
    },
    {
      case: "an RBAC name with a colon",
      body: {
        confirmedDeletes: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "team-a:reader" }],
      },
    },
    { case: "the old count sent alongside (ignored)", body: { confirmObjectCount: 1, confirmedDeletes: [deploy] } },
  ])("accepts $case", ({ body }) => {
    expect(errorsOf(body)).toEqual([]);
  });

  it.each([
    {
      case: "the old count-only body",
      body: { confirmObjectCount: 3 },
      path: "confirmedDeletes",
      message:
        /^confirmedDeletes is required: send the objects the confirmation listed as to be deleted .*confirmObjectCount\) is no longer accepted$/,
    },
    { case: "an empty body", body: {}, path: "confirmedDeletes", message: /is required/ },
    { case: "no body at all", body: undefined, path: "", message: /with confirmedDeletes/ },
    {
      case: "a list that is not a list",
      body: { confirmedDeletes: "all" },
      path: "confirmedDeletes",
      message: /must be a list of objects/,
    },
    {
      case: "an object without apiVersion",
      body: { confirmedDeletes: [{ kind: "Namespace", name: "x" }] },
      path: "confirmedDeletes.0.apiVersion",
      message: /./,
    },
    {
      case: "a malformed apiVersion",
      body: { confirmedDeletes: [ns, { ...deploy, apiVersion: "apps/1" }] },
      path: "confirmedDeletes.1.apiVersion",
      message: /"apps\/v1"/,
    },
    {
      case: "a lowercase kind",
      body: { confirmedDeletes: [{ ...deploy, kind: "deployment" }] },
      path: "confirmedDeletes.0.kind",
      message: /Kubernetes kind/,
    },
    {
      case: "a namespace that is not a DNS label",
      body: { confirmedDeletes: [{ ...deploy, namespace: "Team A" }] },
      path: "confirmedDeletes.0.namespace",
      message: /DNS-1123 label/,
    },
    {
      case: "an empty name",
      body: { confirmedDeletes: [{ ...deploy, name: "" }] },
      path: "confirmedDeletes.0.name",
      message: /required/,
    },
    {
      case: "a name with a slash",
      body: { confirmedDeletes: [{ ...deploy, name: "a/b" }] },
      path: "confirmedDeletes.0.name",
      message: /without '\/'/,
    },
    {
      case: "a name over 253 characters",
      body: { confirmedDeletes: [{ ...deploy, name: "a".repeat(254) }] },
      path: "confirmedDeletes.0.name",
      message: /253/,
    },
    {
      case: "one object twice (under two versions of its group)",
      body: { confirmedDeletes: [deploy, ns, { ...deploy, apiVersion: "apps/v1beta2" }] },
      path: "confirmedDeletes.2",
      message: /^Deployment team-a\/server is listed twice: list each object once$/,
    },
    {
      case: "more objects than any plan",
      body: {
        confirmedDeletes: Array.from({ length: MAX_CONFIRMED_DELETES + 1 }, (_, i) => ({
          ...deploy,
          name: `server-${i}`,
        })),
      },
      path: "confirmedDeletes",
      message: new RegExp(`at most ${MAX_CONFIRMED_DELETES} objects`),
    },
  ])("refuses $case, naming the field", ({ body, path, message }) => {
    const errors = errorsOf(body);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe(path);
    expect(errors[0]!.message).toMatch(message);
  });
});
