import "server-only";
import bcrypt from "bcryptjs";
import type { Db } from "./prisma.server";
import { DEMO_PASSWORD, demoAccounts, demoTeams } from "@/lib/auth/demo-accounts";

const roleToDb = {
  "ml-engineer": "ml_engineer",
  finance: "finance",
  sre: "sre",
  "platform-admin": "platform_admin",
} as const;

export const SANDBOX_CLUSTER_NAME = "sandbox";
/** The sandbox's second cluster (kubeconfig context sandbox-standby): cluster_failure drills restore there. */
export const SANDBOX_STANDBY_CLUSTER_NAME = "sandbox-standby";

/** Registers the standby sandbox cluster; idempotent. Returns its id. */
export async function seedSandboxStandby(db: Db, apiServer: string): Promise<string> {
  const row = await db.clusterTarget.upsert({
    where: { name: SANDBOX_STANDBY_CLUSTER_NAME },
    update: { apiServer },
    create: {
      name: SANDBOX_STANDBY_CLUSTER_NAME,
      apiServer,
      credentialRef: "kubeconfig-context:sandbox-standby",
      isSandbox: true,
      protectedNamespaces: ["kube-system", "velero"],
    },
  });
  return row.id;
}

/**
 * Seeds the demo (teams, one person per role, the sandbox cluster). Idempotent: upserts by natural keys, so a
 * second call changes nothing. `extraSeeds` lets each domain add its demo data (DR templates, usage history).
 */
export async function seedDemo(
  db: Db,
  options: {
    sandboxApiServer: string;
    sandboxStandbyApiServer?: string;
    now: Date;
    extraSeeds?: ((db: Db, now: Date) => Promise<void>)[];
  },
): Promise<void> {
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
  await seedSandboxStandby(db, options.sandboxStandbyApiServer ?? options.sandboxApiServer);
  for (const seed of options.extraSeeds ?? []) await seed(db, options.now);
}
