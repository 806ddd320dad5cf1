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
