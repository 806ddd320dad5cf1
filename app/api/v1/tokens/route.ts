import { tokenCreatedResponse, tokenListResponse } from "@/lib/auth/schema";
import { authorize } from "@/lib/auth/authorize.server";
import { route } from "@/lib/http/route.server";
import { createTokenSchema } from "@/lib/auth/api-token";
import { createApiToken, listApiTokens } from "@/lib/auth/api-token.server";

// GET /api/v1/tokens: the caller's personal API tokens (a platform admin also sees every service token). No secrets.
export const GET = route({ action: "token.manage", response: tokenListResponse }, async ({ user }) => ({
  items: await listApiTokens(user),
}));

// POST /api/v1/tokens: create a token; the response carries the secret, which is never shown again. With `teamId`,
// a service token for that team, which only a platform admin may create.
export const POST = route(
  {
    action: "token.manage",
    response: tokenCreatedResponse,
    successHeaders: { "cache-control": "no-store" },
    body: createTokenSchema,
    successStatus: 201,
  },
  async ({ user, body, traceId }) => {
    if (body.teamId !== undefined) await authorize(user, "settings.manage", {}, traceId);
    return createApiToken(user, body, traceId);
  },
);
