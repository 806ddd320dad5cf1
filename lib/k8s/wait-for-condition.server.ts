import "server-only";
// A DR step's "wait for a condition": poll any object until status.conditions has type=status (e.g. a Job
// Complete=True, a Deployment Available=True, a NodePool Ready=True).
import type { KubernetesApiFailure } from "./api-errors";
import type { KubernetesClient } from "./create-client.server";
import { type ObjectRef, describeRef, specOfRef } from "./object-ref";
import { type RetryOptions, callWithRetries } from "./retry-policy";

export interface ObservedCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export type WaitForConditionResult =
  | { ok: true; condition: ObservedCondition; waitedMs: number }
  | { ok: false; reason: "timeout"; message: string; lastConditions: ObservedCondition[] }
  | { ok: false; reason: "not_found" | "api_error"; message: string; failure: KubernetesApiFailure };

export async function waitForCondition(
  client: KubernetesClient,
  ref: ObjectRef,
  condition: { type: string; status?: "True" | "False" | "Unknown" },
  options: { timeoutMs: number; pollMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number; retry?: RetryOptions },
): Promise<WaitForConditionResult> {
  const { sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now = Date.now, pollMs = 1000 } = options;
  const wanted = condition.status ?? "True";
  const start = now();
  for (;;) {
    const read = await callWithRetries(() => client.objects.read(specOfRef(ref)), { ...options.retry, knownSecrets: client.knownSecrets });
    if (!read.ok) {
      const notFound = read.failure.code === 404 || read.failure.kind === "unknown_kind";
      return { ok: false, reason: notFound ? "not_found" : "api_error", failure: read.failure, message: `${describeRef(ref)}: ${read.failure.message}` };
    }
    const conditions = (((read.value as { status?: { conditions?: ObservedCondition[] } }).status?.conditions ?? []) as ObservedCondition[]).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    }));
    const match = conditions.find((c) => c.type === condition.type && c.status === wanted);
    if (match) return { ok: true, condition: match, waitedMs: now() - start };
    if (now() - start >= options.timeoutMs) {
      const seen = conditions.find((c) => c.type === condition.type);
      return {
        ok: false,
        reason: "timeout",
        lastConditions: conditions,
        message: `${describeRef(ref)} did not reach ${condition.type}=${wanted} within ${Math.round(options.timeoutMs / 1000)} s (${seen ? `${seen.type}=${seen.status}${seen.reason ? ` ${seen.reason}` : ""}` : `no ${condition.type} condition`})`,
      };
    }
    await sleep(pollMs);
  }
}
