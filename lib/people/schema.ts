// Zod schemas of People and teams (the admin page and /api/v1/people, /api/v1/teams): one source for form and API.
import { z } from "zod";
import { roles } from "@/lib/auth/permissions";
import { DNS1123_LABEL_MAX_LENGTH, dns1123LabelPattern } from "@/lib/k8s/names";

export const teamSlug = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(DNS1123_LABEL_MAX_LENGTH, `must be at most ${DNS1123_LABEL_MAX_LENGTH} characters`)
  .regex(
    dns1123LabelPattern,
    "must be lower-case letters, digits and -, starting and ending with a letter or digit (it is the team's cost label value)",
  );

/** A Kubernetes label value (and AWS tag value) costs are labelled with: the `team` label of pods, the team tag. */
const costLabelValue = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    "must be a Kubernetes label value: letters, digits, -, _ and ., starting and ending with a letter or digit",
  );

const teamName = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
const budget = z
  .number({ message: "must be a number of US dollars, or null for no budget" })
  .min(0, "must be 0 or more (null removes the budget)")
  .max(1e11, "must be at most 100,000,000,000")
  .multipleOf(0.01, "must have at most 2 decimals (cents)")
  .nullable();
const labelValues = z.array(costLabelValue).max(50, "at most 50 cost label values").default([]);

export const createTeamSchema = z.object({
  slug: teamSlug,
  name: teamName,
  costLabelValues: labelValues,
  monthlyBudgetUsd: budget.default(null),
});
export type CreateTeamInput = z.output<typeof createTeamSchema>;

/** The slug never changes: usage rows and requests are keyed on it. */
export const updateTeamSchema = z
  .object({
    name: teamName,
    costLabelValues: z.array(costLabelValue).max(50, "at most 50 cost label values"),
    monthlyBudgetUsd: budget,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one of name, costLabelValues, monthlyBudgetUsd",
  });
export type UpdateTeamInput = z.output<typeof updateTeamSchema>;

export const updatePersonSchema = z
  .object({
    disabled: z.boolean({ message: "must be true or false" }),
    role: z.enum(roles, { message: `must be one of ${roles.join(", ")}` }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: "send disabled, role or both" });
export type UpdatePersonInput = z.output<typeof updatePersonSchema>;

export const idParams = z.object({ id: z.string().min(1).max(64) });
export const memberParams = z.object({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) });

// Responses of the people and team routes (route() holds each handler to its schema; lib/client reads them).

const grantSource = z.enum(["sso", "manual"]);
export const personRowSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  roleSource: grantSource,
  roleSsoGroup: z.string().nullable(),
  disabled: z.boolean(),
  singleSignOn: z.boolean(),
  ssoGroups: z.array(z.string()),
  lastSignInAt: z.string().nullable(),
  teams: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      source: grantSource,
      ssoGroup: z.string().nullable(),
    }),
  ),
});
export const teamRowSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  costLabelValues: z.array(z.string()),
  monthlyBudgetUsd: z.number().nullable(),
  members: z.number().int(),
});
export const personListResponse = z.object({ items: z.array(personRowSchema) });
export const teamListResponse = z.object({ items: z.array(teamRowSchema) });
export const personUpdatedResponse = z.object({
  id: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  role: z.enum(roles),
  roleSource: grantSource,
});
export const memberAddedResponse = z.object({ teamId: z.string(), userId: z.string(), source: z.literal("manual") });
export const memberRemovedResponse = z.object({ ok: z.boolean() });
