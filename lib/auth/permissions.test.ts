import { describe, expect, it } from "vitest";
import { actions, decide, visibleTeamIds, type Action, type PortalUser, type Role } from "./permissions";

const user = (role: Role, teamIds: string[] = ["team-a"]): PortalUser => ({
  id: `u-${role}`,
  email: `${role}@x`,
  name: role,
  role,
  teamIds,
});

describe("decide", () => {
  it.each<[Role, Action, boolean]>([
    ["ml-engineer", "request.create", true],
    ["ml-engineer", "request.approve", false],
    ["ml-engineer", "audit.read", false],
    ["ml-engineer", "drill.run-live", false],
    ["finance", "costs.manage", true],
    ["finance", "request.approve", false],
    ["finance", "request.create", true],
    ["finance", "drill.read", false],
    ["sre", "drill.run-live", true],
    ["sre", "request.create", true],
    ["sre", "request.approve", false],
    ["sre", "drill.override-protected", false],
    ["sre", "costs.read", false],
    ["platform-admin", "request.approve", true],
    ["platform-admin", "drill.override-protected", true],
  ])("%s may %s: %s", (role, action, allowed) => {
    expect(decide(user(role), action).allowed).toBe(allowed);
  });

  it("denies everything to a signed-out visitor", () => {
    for (const action of actions) expect(decide(null, action)).toEqual({ allowed: false, reason: "not signed in" });
  });

  it("never lets anyone approve their own request, admins included", () => {
    const admin = user("platform-admin");
    expect(decide(admin, "request.approve", { ownerId: admin.id })).toMatchObject({
      allowed: false,
      reason: "nobody approves their own request",
    });
    expect(decide(admin, "request.approve", { ownerId: "someone-else" }).allowed).toBe(true);
  });

  it("scopes engineers to their teams' requests and costs, but not admins or finance", () => {
    expect(decide(user("ml-engineer"), "request.read", { teamId: "team-b" }).allowed).toBe(false);
    expect(decide(user("ml-engineer"), "request.read", { teamId: "team-a" }).allowed).toBe(true);
    expect(decide(user("ml-engineer"), "costs.read", { teamId: "team-b" }).allowed).toBe(false);
    expect(decide(user("finance"), "costs.read", { teamId: "team-b" }).allowed).toBe(true);
    expect(decide(user("platform-admin"), "request.read", { teamId: "team-b" }).allowed).toBe(true);
  });

  it("lists: engineers see only their teams, others all teams, and a role without the action none", () => {
    expect(visibleTeamIds(user("ml-engineer", ["t1", "t2"]), "request.read")).toEqual(["t1", "t2"]);
    expect(visibleTeamIds(user("finance"), "costs.read")).toBeNull();
    expect(visibleTeamIds(user("sre"), "costs.read")).toEqual([]);
  });
});
