// GET /api/v1/teams: every team with its cost label values, budget and member count. POST: create one.
import { route } from "@/lib/http/route.server";
import { createTeamSchema, teamListResponse, teamRowSchema } from "@/lib/people/schema";
import { listTeams } from "@/lib/people/list-teams.server";
import { createTeam } from "@/lib/people/create-team.server";

export const GET = route({ action: "people.manage", response: teamListResponse }, async ({ user, traceId }) => ({
  items: await listTeams({ actor: user, traceId }),
}));

export const POST = route(
  { action: "people.manage", response: teamRowSchema, successStatus: 201, body: createTeamSchema },
  async ({ user, body, traceId }) => createTeam({ actor: user, input: body, traceId }),
);
