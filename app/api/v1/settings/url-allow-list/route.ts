// GET/PUT /api/v1/settings/url-allow-list: the hosts and networks (each with a port) the portal may fetch from.
import { route } from "@/lib/http/route.server";
import { readUrlAllowList, updateUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { urlAllowListResponse, urlAllowListSchema } from "@/lib/net/schema";

export const GET = route({ action: "settings.manage", response: urlAllowListResponse }, async () => ({
  entries: await readUrlAllowList(),
}));

export const PUT = route(
  { action: "settings.manage", response: urlAllowListResponse, body: urlAllowListSchema },
  async ({ user, body, traceId }) => updateUrlAllowList({ actor: user, list: body, traceId: traceId }),
);
