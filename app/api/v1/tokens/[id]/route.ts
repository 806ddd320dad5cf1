import { tokenRevokedResponse } from "@/lib/auth/schema";
import { route } from "@/lib/http/route.server";
import { tokenIdParams } from "@/lib/auth/api-token";
import { revokeApiToken } from "@/lib/auth/revoke-api-token.server";

// DELETE /api/v1/tokens/{id}: revoke one of the caller's tokens (a platform admin: any token); it stops working at once.
export const DELETE = route(
  { action: "token.manage", response: tokenRevokedResponse, params: tokenIdParams },
  async ({ user, params, traceId }) => ({
    token: await revokeApiToken({ actor: user, tokenId: params.id, traceId }),
  }),
);
