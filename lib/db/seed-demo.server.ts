import "server-only";
import bcrypt from "bcryptjs";
import type { Db } from "./prisma.server";
import { DEMO_PASSWORD, demoAccounts, demoTeams } from "@/lib/auth/demo-accounts";

const roleToDb = { "ml-engineer": "ml_engineer", finance: "finance", sre: "sre", "platform-admin": "platform_admin" } as const;

export const SANDBOX_CLUSTER_NAME = "sandbox";

/**
 * Seeds the demo (teams, one person per role, the sandbox cluster). Idempotent: upserts by natural keys, so a
 * second call changes nothing. `extraSeeds` lets each domain add its demo data (DR templates, usage history).
 */
export async function seedDemo(db: Db, options: { sandboxApiServer: string; now: Date; extraSeeds?: ((db: Db, now: Date) => Promise<void>)[] }): Promise<void> {
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10);
  const teamIds = new Map<string, string>();
  for (const team of demoTeams) {
    const row = await db.team.upsert({
      where: { slug: team.slug },
      update: {},
      create: { slug: team.slug, name: team.name, monthlyBudgetUsd: team.monthlyBudgetUsd, budgetIsDemo: true },
    });
    teamIds.set(team.slug, row.id);
  }
  for (const account of demoAccounts) {
    const user = await db.user.upsert({
      where: { email: account.email },
      update: {},
      create: { email: account.email, name: account.name, role: roleToDb[account.role], passwordHash },
    });
    for (const slug of account.teams) {
      const teamId = teamIds.get(slug)!;
      await db.membership.upsert({
        where: { userId_teamId: { userId: user.id, teamId } },
        update: {},
        create: { userId: user.id, teamId, role: account.role === "platform-admin" ? "lead" : "member" },
      });
    }
  }
  await db.clusterTarget.upsert({
    where: { name: SANDBOX_CLUSTER_NAME },
    update: { apiServer: options.sandboxApiServer },
    create: {
      name: SANDBOX_CLUSTER_NAME,
      apiServer: options.sandboxApiServer,
      credentialRef: "kubeconfig-context:sandbox",
      isSandbox: true,
      protectedNamespaces: ["kube-system", "velero"],
    },
  });
  for (const seed of options.extraSeeds ?? []) await seed(db, options.now);
}
