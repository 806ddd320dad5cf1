import { requirePage } from "@/lib/auth/session.server";
import { listApiTokens } from "@/lib/auth/api-token.server";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { ApiTokens } from "@/components/auth/api-tokens";

export const metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function ApiTokensPage() {
  const user = await requirePage("token.manage");
  const tokens = await listApiTokens(user);
  // Service tokens are for platform admins only (the API refuses anyone else), so only they get the team choice.
  const teams = can(user, "settings.manage")
    ? await getPrisma().team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } })
    : [];
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
