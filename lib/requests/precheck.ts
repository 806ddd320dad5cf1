// The latest pre-condition check of a request (quota, reachability, capacity, conflicts), as kept on its timeline so
// an approver sees what the requester's dry-run found, and whether it is recent enough to approve on.
import type { z } from "zod";
import { dryRunResponse, precheckView } from "./schema";

/** Quotas and free GPUs move as other requests apply: a check older than this is run again before approving. */
export const PRECHECK_FRESH_MS = 15 * 60 * 1000;

export const PRECHECK_EVENT = "precheck.ran";

export type PrecheckView = z.output<typeof precheckView>;
type Preconditions = PrecheckView["preconditions"];

export function isPrecheckFresh(precheck: Pick<PrecheckView, "checkedAt"> | null, now: Date): boolean {
  if (!precheck) return false;
  const age = now.getTime() - precheck.checkedAt.getTime();
  return age >= 0 && age <= PRECHECK_FRESH_MS;
}

/**
 * What approving needs about the check: run it (none, or too old), an explicit acknowledgement (it warned or
 * failed), or nothing more (it passed recently).
 */
export function precheckGate(
  precheck: Pick<PrecheckView, "checkedAt" | "preconditions"> | null,
  now: Date,
): "run" | "acknowledge" | "clear" {
  if (!precheck || !isPrecheckFresh(precheck, now)) return "run";
  return precheck.preconditions.verdict === "pass" ? "clear" : "acknowledge";
}

/** The timeline line of one check. */
export function precheckMessage(actorName: string, preconditions: Preconditions): string {
  const verdict =
    preconditions.verdict === "pass"
      ? "pre-conditions pass"
      : preconditions.verdict === "warning"
        ? "pre-conditions pass with a warning"
        : "a pre-condition fails";
  return `${actorName} ran the pre-condition check: ${verdict}. ${preconditions.summary}`;
}

/** The stored event's data back as a check; null for data of another shape (an older portal's event). */
export function precheckFromEvent(event: { at: Date; data: unknown; actorName: string | null }): PrecheckView | null {
  const parsed = dryRunResponse.shape.preconditions.safeParse(
    typeof event.data === "object" && event.data !== null && "preconditions" in event.data
      ? event.data.preconditions
      : undefined,
  );
  if (!parsed.success) return null;
  return { checkedAt: event.at, checkedBy: event.actorName ?? "the portal", preconditions: parsed.data };
}
