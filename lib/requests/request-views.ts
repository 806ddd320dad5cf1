// What the requests pages hand to their components: pure types, so components never import the services.
import type { z } from "zod";
import type { requestDetailResponse } from "./schema";

/** A row of the requests list (listRequests). */
export interface RequestSummary {
  id: string;
  number: number;
  kind: string;
  title: string;
  status: string;
  teamName: string;
  requesterName: string;
  clusterName: string | null;
  monthlyCostUsd: number;
  securityScore: number;
  criticalFindings: number;
  createdAt: Date;
}

/** What getRequestDetail's gitDelivery holds (lib/requests/git-delivery-status.server.ts). */
export interface GitDeliveryView {
  operation: "apply" | "revert";
  branch: string;
  commitSha: string | null;
  prNumber: number | null;
  prUrl: string | null;
  state: string;
  reason: string | null;
  /** The pull request as the worker last read it. */
  pr: {
    state: string | null;
    mergeSha: string | null;
    mergedAt: Date | string | null;
    checkedAt: Date | string | null;
    readError: string | null;
  } | null;
  sync: { state: string; message: string; health: string | null; checkedAt: Date | string | null } | null;
}

/** One request as its page shows it (getRequestDetail): the API's detail plus the Git delivery panel's facts. */
export type RequestDetail = z.output<typeof requestDetailResponse> & {
  gitDelivery: GitDeliveryView | null;
  permissions: { gitRevert: boolean; retryDelivery: boolean };
};

/**
 * What the request page's client components receive: the detail without what they do not show (the input, the
 * validation, superseded runs) and with the manifests as the YAML the page shows, rendered once on the server,
 * instead of the objects (the browser neither downloads them twice nor loads the YAML library to render them).
 */
export type RequestPageView = Omit<RequestDetail, "plan" | "input" | "applyRuns"> & {
  plan: Omit<RequestDetail["plan"], "deployment_manifests" | "validation">;
  objectCount: number;
  manifestsYaml: string;
  /** The newest run (apply or revert), whose results describe the cluster; null before the first. */
  latestRun: RequestDetail["applyRuns"][number] | null;
};

export function requestPageView(detail: RequestDetail, manifestsYaml: string): RequestPageView {
  const { plan, input: _input, applyRuns, ...rest } = detail;
  const { deployment_manifests: manifests, validation: _validation, ...views } = plan;
  return { ...rest, plan: views, objectCount: manifests.length, manifestsYaml, latestRun: applyRuns[0] ?? null };
}
