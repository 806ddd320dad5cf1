// The request form's pre-filled link: /requests/new?kind=<kind>&draft=<base64url JSON of a plan input>.
// One format for every page that links to the form (cost recommendations, scaling, quota recoveries). Pure.
import type { PlanInputDraft } from "@/lib/plans/schema";
import type { RequestKind } from "./request-kinds";

export function encodeDraft(draft: PlanInputDraft | Record<string, unknown>): string {
  const bytes = new TextEncoder().encode(JSON.stringify(draft));
  let binary = "";
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The plan input in `?draft=`, or null when it is missing, unreadable or not a JSON object. */
export function decodeDraft(encoded: string | null | undefined): Record<string, unknown> | null {
  if (!encoded) return null;
  try {
    const base64 = encoded.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The form pre-filled with `draft`; without `kind` the form picks the kind that applies the draft. With
 * `recommendationId` the submitted request is linked to that cost recommendation; with `teamSlug` the form's Team
 * starts at that team (the one whose workload the advice is about) when the person may request for it.
 */
export function requestFormHref(
  draft: PlanInputDraft | Record<string, unknown>,
  kind?: RequestKind,
  recommendationId?: string,
  teamSlug?: string | null,
): string {
  const params = [
    kind ? `kind=${kind}` : "",
    recommendationId ? `recommendation=${encodeURIComponent(recommendationId)}` : "",
    teamSlug ? `team=${encodeURIComponent(teamSlug)}` : "",
    `draft=${encodeDraft(draft)}`,
  ];
  return `/requests/new?${params.filter(Boolean).join("&")}`;
}

/** The form's starting team: the one the link names (by slug) when it is among `teams`, else the first. */
export function initialTeamId(teams: { id: string; slug?: string }[], slug: string | null | undefined): string {
  return (slug ? teams.find((t) => t.slug === slug) : undefined)?.id ?? teams[0]?.id ?? "";
}
