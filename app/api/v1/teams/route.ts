// GET /api/v1/teams: every team with its cost label values, budget and member count. POST: create one.
import { route } from "@/lib/http/route.server";
import { createTeamSchema } from "@/lib/people/schema";
import { listTeams } from "@/lib/people/list-people.server";
import { createTeam } from "@/lib/people/manage-teams.server";

export const GET = route({ action: "people.manage" }, async () => ({ items: await listTeams() }));

export const POST = route({ action: "people.manage", body: createTeamSchema }, async ({ user, body, requestId }) =>
  Response.json(await createTeam({ actor: user, input: body, traceId: requestId }), { status: 201 }),
);
