// Pure: the request timeline's events as a person reads them. Event keys become words, the pre-condition check run
// once the request is approved is told apart from the requester's, and a run's per-object results fold into one
// entry with a count (22 "object.apply" lines told nobody anything the count does not).

export interface TimelineEventLike {
  id: number;
  type: string;
  message: string;
  at: string | Date;
}

export type TimelineEntry<E extends TimelineEventLike> =
  { kind: "event"; label: string; event: E } | { kind: "objects"; label: string; type: string; events: E[]; last: E };

const labels: Record<string, string> = {
  submitted: "Submitted",
  approved: "Approved",
  rejected: "Rejected",
  "precheck.ran": "Pre-condition check",
  "precondition.warning": "Pre-condition warning",
  "cluster.waiting": "Waiting for the cluster",
  "dry-run.passed": "Dry-run passed",
  "drift.checked": "Drift checked",
  "apply.queued": "Apply queued",
  "apply.started": "Apply started",
  "apply.succeeded": "Apply succeeded",
  "apply.failed": "Apply failed",
  "apply.abandoned": "Apply abandoned",
  "revert.queued": "Revert queued",
  "revert.started": "Revert started",
  "revert.succeeded": "Revert succeeded",
  "revert.failed": "Revert failed",
  "object.apply": "Object applied",
  "object.dry-run": "Object dry-run",
  "object.delete": "Object deleted",
};

const objectLabels: Record<string, (n: number) => string> = {
  "object.apply": (n) => `${n} object${n === 1 ? "" : "s"} applied`,
  "object.dry-run": (n) => `${n} object${n === 1 ? "" : "s"} dry-run`,
  "object.delete": (n) => `${n} object${n === 1 ? "" : "s"} deleted`,
};

/** A readable label for an event key: the known ones in words, any other with its dots and dashes as spaces. */
export function eventLabel(type: string): string {
  const known = labels[type];
  if (known) return known;
  const words = type.replace(/[._-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The entries in order: runs of consecutive object events of one type become one entry; a pre-condition check after
 * the approval is labelled as the re-check at apply, not as a second requester's check.
 */
export function timelineEntries<E extends TimelineEventLike>(events: readonly E[]): TimelineEntry<E>[] {
  const out: TimelineEntry<E>[] = [];
  let approved = false;
  for (const event of events) {
    if (event.type === "approved") approved = true;
    const group = objectLabels[event.type];
    const last = out.at(-1);
    if (group && last?.kind === "objects" && last.type === event.type) {
      last.events.push(event);
      last.last = event;
      last.label = group(last.events.length);
      continue;
    }
    if (group) {
      out.push({ kind: "objects", type: event.type, label: group(1), events: [event], last: event });
      continue;
    }
    const label =
      event.type === "precheck.ran" && approved ? "Pre-condition re-check at apply" : eventLabel(event.type);
    out.push({ kind: "event", label, event });
  }
  return out;
}
