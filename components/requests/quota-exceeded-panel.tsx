"use client";
// quota_exceeded before an apply: the quota, the shortfall and the reference design's two ways out (ask for more
// quota with the prepared text, or request the smaller plan that fits now, pre-filled in the form).
import { CodeBlock } from "@/components/ui/code-block";
import { requestFormHref } from "@/lib/requests/draft-link";
import { isRequestKind } from "./request-form-model";
import { ButtonLink } from "@/components/ui/button";

export interface QuotaExceededData {
  reason: "quota_exceeded";
  namespace: string;
  quota: { name: string; hard: number; used: number; requested: number };
  recovery?: { quota_increase_request: string; smaller_plan: Record<string, unknown>; changes: string[] };
}

export function isQuotaExceeded(data: unknown): data is QuotaExceededData {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as { reason?: unknown }).reason === "quota_exceeded" &&
    typeof (data as { quota?: unknown }).quota === "object"
  );
}

export function QuotaExceededPanel({ data, kind }: { data: QuotaExceededData; kind: string }) {
  const { quota } = data;
  const available = Math.max(0, quota.hard - quota.used);
  return (
    <div className="alert alert-danger" data-testid="quota-exceeded">
      <strong>GPU quota exceeded in {data.namespace}</strong>: the plan needs {quota.requested} GPU(s) at minimum scale;
      quota <code>{quota.name}</code> allows {quota.hard} and {quota.used} are used, so {available} are available.
      Nothing was applied.
      {data.recovery && (
        <>
          <h3 className="h3">Option 1 · ask for more quota</h3>
          <CodeBlock
            code={data.recovery.quota_increase_request}
            label="Quota increase request"
            filename="quota-increase-request.txt"
            wrap
          />
          <h3 className="h3">Option 2 · request a plan that fits now</h3>
          <ul>
            {data.recovery.changes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <ButtonLink href={requestFormHref(data.recovery.smaller_plan, isRequestKind(kind) ? kind : undefined)}>
            Request the smaller plan
          </ButtonLink>
        </>
      )}
    </div>
  );
}
