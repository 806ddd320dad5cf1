// What each post-condition's verdict means for the requester: why a check is ✗ or "not yet" and what to do about it.
// Pure, so the apply job's message and the request page's re-check say the same thing.
import { describeRef, type ObjectRef } from "./object-ref";
import type { MonitoringVerdict } from "./monitoring-evidence";

export type PostconditionState = "ok" | "not_yet" | "failed";

export interface PostconditionLine {
  check: "objects_exist" | "workloads_ready" | "monitoring_configured";
  label: string;
  state: PostconditionState;
  /** Why it is so: the objects, workloads or evidence it is about. Empty when ok. */
  reason: string;
  /** What to do about it. Empty when ok. */
  action: string;
}

export interface PostconditionInputs {
  exist: { ok: boolean; missing: ObjectRef[]; unknown: Array<{ ref: ObjectRef; failure: { message: string } }> };
  ready: { ok: boolean; workloads: Array<{ ref: ObjectRef; ready: boolean; detail: string }> };
  monitoring: { ok: boolean; workloads: MonitoringVerdict[] };
}

const list = (items: string[], max = 4) =>
  items.length > max ? `${items.slice(0, max).join("; ")} and ${items.length - max} more` : items.join("; ");

export function postconditionReport({ exist, ready, monitoring }: PostconditionInputs): PostconditionLine[] {
  const notReady = ready.workloads.filter((w) => !w.ready);
  const unmonitored = monitoring.workloads.filter((w) => !w.configured);
  return [
    {
      check: "objects_exist",
      label: "objects exist",
      state: exist.ok ? "ok" : "failed",
      reason: exist.ok
        ? ""
        : list([
            ...exist.missing.map((r) => `${describeRef(r)} is missing`),
            ...exist.unknown.map((u) => `${describeRef(u.ref)} could not be read (${u.failure.message})`),
          ]),
      action: exist.ok
        ? ""
        : exist.missing.length
          ? "Check drift to see what changed; re-apply (Force apply) to create them again, or revert."
          : "The cluster API did not answer for these objects: check the cluster's reachability, then check again.",
    },
    {
      check: "workloads_ready",
      label: "workloads ready",
      state: ready.ok ? "ok" : "not_yet",
      reason: ready.ok ? "" : list(notReady.map((w) => `${describeRef(w.ref)}: ${w.detail}`)),
      action: ready.ok
        ? ""
        : "Pods are still starting or waiting for capacity: open the live cluster view for pending pods and their events, then check again.",
    },
    {
      check: "monitoring_configured",
      label: "monitoring configured",
      state: monitoring.ok ? "ok" : "failed",
      reason: monitoring.ok
        ? ""
        : `no ServiceMonitor, PodMonitor, prometheus.io/scrape annotation or Prometheus-triggered ScaledObject covers ${list(unmonitored.map((w) => w.workload))}`,
      action: monitoring.ok
        ? ""
        : 'Add a ServiceMonitor or PodMonitor selecting these pods (the Prometheus operator must be installed), or set prometheus.io/scrape="true" on the pod template, then check again.',
    },
  ];
}

const mark: Record<PostconditionState, string> = { ok: "✓", not_yet: "not yet", failed: "✗" };

/** One sentence per check, with the reason and the remedy for each that is not ok. */
export function postconditionMessage(lines: readonly PostconditionLine[]): string {
  const head = `Post-conditions: ${lines.map((l) => `${l.label} ${mark[l.state]}`).join(", ")}`;
  const why = lines.filter((l) => l.state !== "ok").map((l) => `${l.label} ${mark[l.state]}: ${l.reason}. ${l.action}`);
  return why.length ? `${head}. ${why.join(" ")}` : head;
}
