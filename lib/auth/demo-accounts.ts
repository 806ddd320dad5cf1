// The seeded demo people (one per role, plus a second engineer in another team to show team scoping).
// Only usable when PORTAL_DEMO_LOGIN is on (the embedded demo); the password is public by design.
import type { Role } from "./permissions";

export const DEMO_PASSWORD = "demo-password";

/** Budgets with room to spare; the cost demo seed then makes nlp's tight (lib/costs/demo-budget.ts) to show the alert. */
export const demoTeams = [
  { slug: "vision", name: "Vision", monthlyBudgetUsd: 180_000 },
  { slug: "nlp", name: "NLP", monthlyBudgetUsd: 260_000 },
  { slug: "recsys", name: "Recommender systems", monthlyBudgetUsd: 90_000 },
] as const;

export const demoAccounts: { email: string; name: string; role: Role; teams: string[] }[] = [
  { email: "engineer@demo.local", name: "Erin Engineer", role: "ml-engineer", teams: ["nlp"] },
  { email: "vision-engineer@demo.local", name: "Victor Vision", role: "ml-engineer", teams: ["vision"] },
  { email: "finance@demo.local", name: "Fiona Finance", role: "finance", teams: [] },
  { email: "sre@demo.local", name: "Sam SRE", role: "sre", teams: [] },
  { email: "admin@demo.local", name: "Ada Admin", role: "platform-admin", teams: ["nlp", "vision", "recsys"] },
];
