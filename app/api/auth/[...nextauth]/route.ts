import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { getSetting } from "@/lib/env/get-env";

async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  // Single sign-on fetches the identity provider's discovery document, keys and tokens: like every server-side fetch,
  // only from hosts on the admin's URL allow-list (read per request, so a change applies at once).
  const urlAllowList = getSetting("OIDC_ISSUER") ? await readUrlAllowList() : [];
  return NextAuth(authOptions({ urlAllowList }))(request, context);
}

export { handler as GET, handler as POST };
