// What an admin sets on a cluster target to deliver through Git instead of a server-side apply.
import { z } from "zod";
import { dns1123LabelSource } from "@/lib/k8s/names";

const pathSegment = /^[A-Za-z0-9._-]+$/;
const branchName = /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;

/**
 * Only variables named for the purpose may be named: the token is sent as Basic auth to a host the admin chooses, so
 * any variable would let an admin send DATABASE_URL or NEXTAUTH_SECRET to a server of theirs.
 */
export const gitCredentialRefPattern = /^(none|env:PORTAL_GIT_TOKEN_[A-Z0-9_]{1,110})$/;
export const gitSyncRefPattern = new RegExp(
  `^(argocd|flux):(${dns1123LabelSource})\\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$`,
);

export const deliverySettingsSchema = z
  .object({
    deliveryMode: z.enum(["direct", "git"]),
    gitRepoUrl: z
      .string()
      .max(2048)
      .url({ message: "gitRepoUrl must be the repository's http(s) URL, e.g. https://github.com/acme/deploy.git" })
      .refine((u) => /^https?:\/\//i.test(u), { message: "gitRepoUrl must be http or https" })
      .refine((u) => !/^https?:\/\/[^/]*@/i.test(u), {
        message: "gitRepoUrl must carry no user name or password: name a credential in gitCredentialRef",
      })
      .nullish(),
    gitBaseBranch: z
      .string()
      .regex(branchName, { message: "gitBaseBranch must be a branch name, e.g. main" })
      .default("main"),
    gitPath: z
      .string()
      .max(200)
      .refine((p) => p.split("/").every((s) => pathSegment.test(s) && s !== "." && s !== ".."), {
        message: "gitPath must be a relative folder of letters, digits, . _ - separated by /, e.g. clusters",
      })
      .default("clusters"),
    gitHubRepo: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, { message: "gitHubRepo must be owner/repo" })
      .nullish(),
    gitHubApiUrl: z
      .string()
      .max(2048)
      .url({ message: "gitHubApiUrl must be the GitHub API URL, e.g. https://api.github.com" })
      .nullish(),
    gitCredentialRef: z
      .string()
      .regex(gitCredentialRefPattern, {
        message:
          'gitCredentialRef must be "none" or "env:PORTAL_GIT_TOKEN_<NAME>": only variables with that prefix in the server\'s environment may hold a Git token',
      })
      .default("none"),
    gitSyncRef: z
      .string()
      .regex(gitSyncRefPattern, {
        message: 'gitSyncRef must be "argocd:<namespace>/<Application>" or "flux:<namespace>/<Kustomization>"',
      })
      .nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.deliveryMode === "git" && !v.gitRepoUrl)
      ctx.addIssue({ code: "custom", path: ["gitRepoUrl"], message: "gitRepoUrl is required for git delivery" });
  });

export type DeliverySettings = z.output<typeof deliverySettingsSchema>;

/** What `PUT /api/v1/clusters/{id}/delivery` answers: the cluster and the delivery settings now stored. */
export const clusterDeliveryResponse = z.object({
  id: z.string(),
  name: z.string(),
  deliveryMode: z.enum(["direct", "git"]),
  gitRepoUrl: z.string().nullable(),
  gitBaseBranch: z.string(),
  gitPath: z.string(),
  gitHubRepo: z.string().nullable(),
  gitHubApiUrl: z.string().nullable(),
  gitCredentialRef: z.string(),
  gitSyncRef: z.string().nullable(),
});
