// PUT /api/v1/teams/{id}/members/{userId}: add a person to a team by hand. DELETE: remove a manual membership
// (one an identity-provider group gives is refused with 409: the group decides it).
import { route } from "@/lib/http/route.server";
import { memberAddedResponse, memberParams, memberRemovedResponse } from "@/lib/people/schema";
import { addTeamMember } from "@/lib/people/add-team-member.server";
import { removeTeamMember } from "@/lib/people/remove-team-member.server";

export const PUT = route(
  { action: "people.manage", response: memberAddedResponse, params: memberParams },
  async ({ user, params, traceId }) =>
    addTeamMember({ actor: user, teamId: params.id, userId: params.userId, traceId }),
);

export const DELETE = route(
  { action: "people.manage", response: memberRemovedResponse, params: memberParams },
  async ({ user, params, traceId }) =>
    removeTeamMember({ actor: user, teamId: params.id, userId: params.userId, traceId }),
);
