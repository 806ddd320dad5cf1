// What the People and teams page and API show of a person and a team (shared by server and browser code).
import type { Role } from "@/lib/auth/permissions";

export interface PersonRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** "sso": re-decided from the identity provider's groups at every sign-in (roleSsoGroup names the group, null: the default role). */
  roleSource: "sso" | "manual";
  roleSsoGroup: string | null;
  disabled: boolean;
  singleSignOn: boolean;
  ssoGroups: string[];
  lastSignInAt: string | null;
  teams: { id: string; slug: string; name: string; source: "sso" | "manual"; ssoGroup: string | null }[];
}

export interface TeamRow {
  id: string;
  slug: string;
  name: string;
  costLabelValues: string[];
  monthlyBudgetUsd: number | null;
  members: number;
}

/** The API and page shape of a team row. */
export function teamRow(t: {
  id: string;
  slug: string;
  name: string;
  costLabelValues: string[];
  monthlyBudgetUsd: unknown;
  _count?: { memberships: number };
}): TeamRow {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    costLabelValues: t.costLabelValues,
    monthlyBudgetUsd: t.monthlyBudgetUsd === null ? null : Number(t.monthlyBudgetUsd),
    members: t._count?.memberships ?? 0,
  };
}
