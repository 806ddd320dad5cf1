import { requirePage } from "@/lib/auth/session.server";
import { listApiTokens } from "@/lib/auth/list-api-tokens.server";
import { listVisibleTeams } from "@/lib/people/list-visible-teams.server";
import { ApiTokens } from "@/components/auth/api-tokens";

export const metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function ApiTokensPage() {
  const user = await requirePage("token.manage");
  const tokens = await listApiTokens({ actor: user });
  // Service tokens are for platform admins only (the API refuses anyone else), so only they get the team choice.
  const teams = (await listVisibleTeams({ actor: user, action: "settings.manage" })).map((t) => ({
    id: t.id,
    name: t.name,
  }));
  return (
    <>
      <h1>API tokens</h1>
      <p className="subtitle">
        Tokens let a pipeline call the portal&apos;s API (<code>Authorization: Bearer …</code>) or run{" "}
        <code>npm run -s portal -- submit --url … --wait</code> with <code>PORTAL_TOKEN</code>. A token acts as you,
        with at most your role, and only for the scopes you give it; it stops working when it expires, when you revoke
        it, or when your account is disabled.
      </p>
      <ApiTokens tokens={tokens} teams={teams} now={new Date().toISOString()} />
    </>
  );
}
