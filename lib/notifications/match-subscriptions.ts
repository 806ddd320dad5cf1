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
  /** The person who made the subscription (null when disabled): a team's subscription hears what they may read. */
  creator: PortalUser | null;
}

/**
 * Whether `user` may be told about `event` (of `teamId`, or portal-wide when null): checked when a subscription is
 * made, so nobody subscribes themselves or a team to what they cannot open.
 */
export function mayHear(user: PortalUser, event: NotificationEvent, teamId: string | null): boolean {
  return decide(user, readAction[event], teamId === null ? {} : { teamId }).allowed;
}

export function subscriptionReceives(sub: CandidateSubscription, n: Pick<Notification, "event" | "teamId">): boolean {
  if (n.event === "test" || !sub.events.includes(n.event)) return false;
  // A team hears its own team's events; a portal-wide event (a drill, stale data) only while the person who
  // subscribed the team may read it, else a team subscription would pass on what its members cannot open.
  if (sub.teamId !== null)
    return n.teamId === null ? sub.creator !== null && mayHear(sub.creator, n.event, null) : n.teamId === sub.teamId;
  if (!sub.owner || sub.ownerDisabled) return false;
  return decide(sub.owner, readAction[n.event], n.teamId === null ? {} : { teamId: n.teamId }).allowed;
}
