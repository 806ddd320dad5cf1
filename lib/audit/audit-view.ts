// How an audit row is shown: its target as a link to where the thing lives, and its details as short "key: value"
// pairs that wrap, instead of one line of raw JSON wider than the window. Pure.

/** The portal page of an audit target, or null when it has none (a user, a setting, an API call). */
export function auditTargetHref(targetType: string, targetId: string | null): string | null {
  if (!targetId) return null;
  const id = encodeURIComponent(targetId);
  switch (targetType) {
    case "request":
      return `/requests/${id}`;
    case "cluster":
      return `/clusters/${id}`;
    case "drill_run":
      return `/drills/runs/${id}`;
    case "dr_plan":
      return `/drills/plans/${id}`;
    case "recommendation":
      return `/costs?recommendation=${id}#recs-title`;
    case "team":
      return `/costs/teams/${id}`;
    case "page":
      return targetId.startsWith("/") ? targetId : null;
    default:
      return null;
  }
}

/** The key under which an audit target's human name is looked up. */
export function auditTargetKey(targetType: string, targetId: string): string {
  return `${targetType}:${targetId}`;
}

/**
 * What the Target cell shows: the target's human name (REQ-3, a cluster's name) when it has one, else its id; the id
 * stays in the tooltip so it can still be copied or searched for.
 */
export function auditTargetDisplay(
  targetType: string,
  targetId: string | null,
  names: ReadonlyMap<string, string>,
): { text: string; href: string | null; title: string | undefined } | null {
  if (!targetId) return null;
  const name = names.get(auditTargetKey(targetType, targetId));
  return {
    text: name ?? targetId,
    href: auditTargetHref(targetType, targetId),
    title: name ? `${targetType} ${targetId}` : undefined,
  };
}

/** How many detail fields an audit row shows before the rest go behind a disclosure. */
export const SHOWN_DETAILS = 3;

const MAX_VALUE = 160;

/** Top-level detail fields as text; nested values as compact JSON, each cut to a readable length. */
export function auditDetailEntries(details: unknown): { key: string; value: string }[] {
  if (details === null || typeof details !== "object" || Array.isArray(details)) {
    return details === null || details === undefined ? [] : [{ key: "value", value: clip(JSON.stringify(details)) }];
  }
  return Object.entries(details as Record<string, unknown>).map(([key, v]) => ({
    key,
    value: clip(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v))),
  }));
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
