// PATCH /api/v1/people/{id} {disabled?, role?}: disable (every session and token stops at once) or re-enable a
// person, or set their role by hand.
import { route } from "@/lib/http/route.server";
import { idParams, personUpdatedResponse, updatePersonSchema } from "@/lib/people/schema";
import { updatePerson } from "@/lib/people/update-person.server";

export const PATCH = route(
  { action: "people.manage", response: personUpdatedResponse, params: idParams, body: updatePersonSchema },
  async ({ user, params, body, traceId }) =>
    updatePerson({ actor: user, userId: params.id, change: body, traceId: traceId }),
);
