// PATCH /api/v1/teams/{id} {name?, costLabelValues?, monthlyBudgetUsd?}: edit a team (its slug never changes).
import { route } from "@/lib/http/route.server";
import { idParams, teamRowSchema, updateTeamSchema } from "@/lib/people/schema";
import { updateTeam } from "@/lib/people/update-team.server";

export const PATCH = route(
  { action: "people.manage", response: teamRowSchema, params: idParams, body: updateTeamSchema },
  async ({ user, params, body, traceId }) => updateTeam({ actor: user, teamId: params.id, change: body, traceId }),
);
