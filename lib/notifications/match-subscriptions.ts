// Which subscriptions receive a notification. Pure: the permission table decides what a person may hear about,
// so a subscription never tells someone about a team they could not open in the portal.
import { decide, type Action, type PortalUser } from "@/lib/auth/permissions";
import type { Notification, NotificationEvent } from "./events";

/** The action whose permission a person needs to be told about an event. */
const readAction: Record<NotificationEvent, Action> = {
  "approval.needed": "request.read",
  "request.applied": "request.read",
  "request.apply_failed": "request.read",
  "drift.found": "request.read",
  "request.reverted": "request.read",
  "drill.passed": "drill.read",
  "drill.failed": "drill.read",
  "budget.forecast_crossed": "costs.read",
  "data.stale": "costs.read",
};

export interface CandidateSubscription {
  id: string;
  events: string[];
  teamId: string | null;
  /** The person of a personal subscription (null when disabled or a team's subscription). */
  owner: PortalUser | null;
  ownerDisabled: boolean;
}

export function subscriptionReceives(sub: CandidateSubscription, n: Pick<Notification, "event" | "teamId">): boolean {
  if (n.event === "test" || !sub.events.includes(n.event)) return false;
  if (sub.teamId !== null) return n.teamId === null || n.teamId === sub.teamId;
  if (!sub.owner || sub.ownerDisabled) return false;
  return decide(sub.owner, readAction[n.event], n.teamId === null ? {} : { teamId: n.teamId }).allowed;
}
