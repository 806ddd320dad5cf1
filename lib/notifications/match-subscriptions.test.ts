import { describe, expect, it } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { subscriptionReceives, type CandidateSubscription } from "./match-subscriptions";

const engineer: PortalUser = { id: "u1", email: "e@x", name: "E", role: "ml-engineer", teamIds: ["nlp"] };
const sre: PortalUser = { id: "u2", email: "s@x", name: "S", role: "sre", teamIds: [] };
const admin: PortalUser = { id: "u3", email: "a@x", name: "A", role: "platform-admin", teamIds: [] };
const personal = (owner: PortalUser, events: string[], disabled = false): CandidateSubscription => ({
  id: "s",
  events,
  teamId: null,
  owner,
  ownerDisabled: disabled,
  creator: disabled ? null : owner,
});
const team = (teamId: string, events: string[], creator: PortalUser | null = engineer): CandidateSubscription => ({
  id: "s",
  events,
  teamId,
  owner: null,
  ownerDisabled: false,
  creator,
});

describe("who receives a notification", () => {
  it.each([
    [
      "an engineer, about their team",
      personal(engineer, ["approval.needed"]),
      { event: "approval.needed", teamId: "nlp" },
      true,
    ],
    [
      "an engineer, about another team",
      personal(engineer, ["approval.needed"]),
      { event: "approval.needed", teamId: "vision" },
      false,
    ],
    [
      "an engineer, about drills they cannot open",
      personal(engineer, ["drill.failed"]),
      { event: "drill.failed", teamId: null },
      false,
    ],
    ["an SRE, about drills", personal(sre, ["drill.failed"]), { event: "drill.failed", teamId: null }, true],
    [
      "a disabled person",
      personal(engineer, ["approval.needed"], true),
      { event: "approval.needed", teamId: "nlp" },
      false,
    ],
    [
      "a subscription without the event",
      personal(engineer, ["request.applied"]),
      { event: "approval.needed", teamId: "nlp" },
      false,
    ],
    [
      "a team, about itself",
      team("nlp", ["request.apply_failed"]),
      { event: "request.apply_failed", teamId: "nlp" },
      true,
    ],
    [
      "a team, about another team",
      team("nlp", ["request.apply_failed"]),
      { event: "request.apply_failed", teamId: "vision" },
      false,
    ],
    ["a team, about portal-wide stale data", team("nlp", ["data.stale"]), { event: "data.stale", teamId: null }, true],
    [
      "a team an engineer subscribed, about drills the engineer cannot open",
      team("nlp", ["drill.failed"]),
      { event: "drill.failed", teamId: null },
      false,
    ],
    [
      "a team an admin subscribed, about drills",
      team("nlp", ["drill.failed"], admin),
      { event: "drill.failed", teamId: null },
      true,
    ],
    [
      "a team whose subscriber is disabled, about drills",
      team("nlp", ["drill.failed"], null),
      { event: "drill.failed", teamId: null },
      false,
    ],
    ["anyone, about a test send", team("nlp", ["data.stale"]), { event: "test", teamId: "nlp" }, false],
  ] as const)("%s: %s", (_what, sub, n, expected) => {
    expect(subscriptionReceives(sub, n)).toBe(expected);
  });
});
