// GET /api/v1/people: everyone, with role and teams and where each came from (SSO group or manual).
import { personListResponse } from "@/lib/people/schema";
import { route } from "@/lib/http/route.server";
import { listPeople } from "@/lib/people/list-people.server";

export const GET = route({ action: "people.manage", response: personListResponse }, async ({ user, traceId }) => ({
  items: await listPeople({ actor: user, traceId }),
}));
