// GET/PUT /api/v1/settings/sso-groups: which identity-provider groups give which portal role and team memberships.
import { ssoGroupMappingResponse } from "@/lib/auth/schema";
import { route } from "@/lib/http/route.server";
import { ssoGroupMappingSchema } from "@/lib/auth/sso-groups";
import { readSsoGroupMapping, ssoEnv } from "@/lib/auth/sso-sign-in.server";
import { updateSsoGroupMapping } from "@/lib/auth/sso-group-mapping-setting.server";

export const GET = route({ action: "settings.manage", response: ssoGroupMappingResponse }, async () =>
  readSsoGroupMapping(ssoEnv()),
);

export const PUT = route(
  { action: "settings.manage", response: ssoGroupMappingResponse, body: ssoGroupMappingSchema },
  async ({ user, body, traceId }) => ({
    mapping: await updateSsoGroupMapping({ actor: user, mapping: body, env: ssoEnv(), traceId: traceId }),
    source: "settings" as const,
  }),
);
