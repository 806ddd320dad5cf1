import { tokenCreatedResponse, tokenListResponse } from "@/lib/auth/schema";
import { route } from "@/lib/http/route.server";
import { createTokenSchema } from "@/lib/auth/api-token";
import { createApiToken } from "@/lib/auth/create-api-token.server";
import { listApiTokens } from "@/lib/auth/list-api-tokens.server";

// GET /api/v1/tokens: the caller's personal API tokens (a platform admin also sees every service token). No secrets.
export const GET = route({ action: "token.manage", response: tokenListResponse }, async ({ user, traceId }) => ({
  items: await listApiTokens({ actor: user, traceId }),
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
  ({ user, body, traceId }) => createApiToken({ actor: user, input: body, traceId }),
);
