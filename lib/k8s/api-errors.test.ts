import { describe, expect, it } from "vitest";
import { describeApiError, isUidPreconditionFailure } from "./api-errors";

const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error("HTTP-Code"), { code, body, headers });

describe("describeApiError", () => {
  it("keeps the API's conflict message and parses each FieldManagerConflict cause into field + manager", () => {
    const body = JSON.stringify({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message:
        'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\nconflicts with "hpa-controller" using apps/v1 at 2026-01-01T00:00:00Z:\n- .spec.template',
      details: {
        causes: [
          { type: "FieldManagerConflict", message: 'conflict with "kubectl"', field: ".spec.replicas" },
          {
            type: "FieldManagerConflict",
            message: 'conflict with "hpa-controller" using apps/v1 at 2026-01-01T00:00:00Z',
            field: ".spec.template",
          },
        ],
      },
    });
    const failure = describeApiError(apiException(409, body));
    expect(failure).toMatchObject({ kind: "api", code: 409, reason: "Conflict", retryable: false });
    expect(failure.message).toContain("Apply failed with 2 conflicts");
    expect(failure.conflicts).toEqual([
      { field: ".spec.replicas", manager: "kubectl" },
      { field: ".spec.template", manager: "hpa-controller" },
    ]);
  });

  it.each([
    [429, true],
    [500, true],
    [503, true],
    [422, false],
    [404, false],
    [403, false],
  ])("marks HTTP %i retryable=%s", (code, retryable) => {
    expect(describeApiError(apiException(code, JSON.stringify({ kind: "Status", code, message: "x" }))).retryable).toBe(
      retryable,
    );
  });

  it("reads Retry-After from the header", () => {
    expect(describeApiError(apiException(429, "{}", { "retry-after": "7" })).retryAfterSeconds).toBe(7);
  });

  it("recognises a group/version the server does not serve", () => {
    expect(describeApiError(apiException(404, "404 page not found\n")).kind).toBe("unknown_kind");
    expect(
      describeApiError(new Error("Unrecognized API version and kind: keda.sh/v1alpha1 ScaledObject")).message,
    ).toContain("keda.sh/v1alpha1 ScaledObject is not served");
  });

  it("treats dropped connections and timeouts as retryable", () => {
    expect(
      describeApiError(
        Object.assign(new TypeError("fetch failed"), {
          cause: { code: "UND_ERR_SOCKET", message: "other side closed" },
        }),
      ),
    ).toMatchObject({ kind: "network", retryable: true });
    expect(
      describeApiError(
        Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError", code: 23 }),
      ),
    ).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("never repeats a bearer token found in an error", () => {
    const failure = describeApiError(
      new Error("request with Authorization: Bearer eyJhbGciOi.secret.token failed"),
      [],
    );
    expect(failure.message).not.toContain("eyJhbGciOi.secret.token");
  });
});

describe("isUidPreconditionFailure", () => {
  const status = (code: number, reason: string, message: string) =>
    describeApiError(apiException(code, JSON.stringify({ kind: "Status", status: "Failure", code, reason, message })));
  it.each([
    [
      "the generic registry",
      'Operation cannot be fulfilled on Deployment.apps "web": the UID in the precondition (a1) does not match the UID in record (b2). The object might have been deleted and then recreated',
    ],
    [
      "the namespace storage",
      'Operation cannot be fulfilled on namespaces "ml": Precondition failed: UID in precondition: a1, UID in object meta: b2',
    ],
    [
      "the CRD storage",
      'Operation cannot be fulfilled on customresourcedefinitions.apiextensions.k8s.io "x.example.com": precondition failed: UID in precondition: a1, UID in object meta: b2',
    ],
  ])("recognizes a uid precondition refused in the words of %s", (_, message) => {
    expect(isUidPreconditionFailure(status(409, "Conflict", message))).toBe(true);
  });
  it.each([
    [
      "a resourceVersion precondition",
      409,
      "Conflict",
      'Operation cannot be fulfilled on Deployment.apps "web": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (2). The object might have been modified',
    ],
    ["an apply conflict", 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas'],
    [
      "a forbidden delete",
      403,
      "Forbidden",
      'namespaces "ml" is forbidden: UID in precondition checks are not allowed',
    ],
  ])("does not take %s for one", (_, code, reason, message) => {
    expect(isUidPreconditionFailure(status(code, reason, message))).toBe(false);
  });
});
