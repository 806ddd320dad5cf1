// The one place that decides who may do what. Pure: (user, action, resource) → decision. Deny by default.
// Every route handler, server action and page calls this (through lib/http/route.server.ts or
// lib/auth/session.server.ts); middleware alone never decides.

export const roles = ["ml-engineer", "finance", "sre", "platform-admin"] as const;
export type Role = (typeof roles)[number];

export interface PortalUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Ids of the teams the user belongs to. */
  teamIds: string[];
}

export const actions = [
  "home.read",
  "plan.generate",
  "security.scan",
  "request.create",
  "request.read",
  "request.approve",
  "request.force-apply",
  "request.revert",
  "cluster.read",
  "cluster.manage",
  "costs.read",
  "costs.manage",
  "scaling.simulate",
  "drill.read",
  "drill.run-dry",
  "drill.run-live",
  "drill.manage",
  "drill.override-protected",
  "audit.read",
  "settings.manage",
  "people.manage",
  "token.manage",
  "notification.manage",
] as const;
export type Action = (typeof actions)[number];

/** What each role may do at all; team scoping is decided per resource below. */
const grants: Record<Role, readonly Action[]> = {
  "ml-engineer": [
    "home.read",
    "token.manage",
    "notification.manage",
    "plan.generate",
    "security.scan",
    "request.create",
    "request.read",
    "request.revert",
    "cluster.read",
    "costs.read",
    "scaling.simulate",
  ],
  // Finance turns a savings recommendation into a request (an admin still approves it).
  finance: [
    "home.read",
    "token.manage",
    "notification.manage",
    "costs.read",
    "costs.manage",
    "request.read",
    "request.create",
    "scaling.simulate",
  ],
  // SREs request the Velero Schedule and BackupStorageLocation of a cluster through the normal request flow.
  sre: [
    "home.read",
    "token.manage",
    "notification.manage",
    "plan.generate",
    "security.scan",
    "cluster.read",
    "drill.read",
    "drill.run-dry",
    "drill.run-live",
    "drill.manage",
    "request.read",
    "request.create",
    "request.revert",
    "scaling.simulate",
  ],
  "platform-admin": actions,
};

/** Actions whose resources belong to a team: an ml-engineer only reaches their own teams' ones. */
const teamScoped: ReadonlySet<Action> = new Set<Action>([
  "request.read",
  "request.create",
  "request.revert",
  "costs.read",
]);

export interface Resource {
  /** Owning team of the resource; undefined for unscoped resources or lists (lists are filtered by `visibleTeamIds`). */
  teamId?: string;
  /** The user who created the resource, when it matters (nobody approves their own request). */
  ownerId?: string;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

export function decide(user: PortalUser | null, action: Action, resource: Resource = {}): Decision {
  if (!user) return { allowed: false, reason: "not signed in" };
  if (!grants[user.role]?.includes(action)) return { allowed: false, reason: `role ${user.role} may not ${action}` };
  if (action === "request.approve" && resource.ownerId !== undefined && resource.ownerId === user.id) {
    return { allowed: false, reason: "nobody approves their own request" };
  }
  if (
    user.role === "ml-engineer" &&
    teamScoped.has(action) &&
    resource.teamId !== undefined &&
    !user.teamIds.includes(resource.teamId)
  ) {
    return { allowed: false, reason: "the resource belongs to a team you are not a member of" };
  }
  return { allowed: true };
}

export function can(user: PortalUser | null, action: Action, resource?: Resource): boolean {
  return decide(user, action, resource).allowed;
}

/** Teams whose resources the user may list for a team-scoped action: null means all teams. */
export function visibleTeamIds(user: PortalUser, action: Action): string[] | null {
  if (!can(user, action)) return [];
  return user.role === "ml-engineer" && teamScoped.has(action) ? user.teamIds : null;
}
