import { describe, expect, it } from "vitest";
import { commitMessage, deliveryBranch, renderDeliveryFiles, requestFolder } from "./render-delivery";
import { deliverySettingsSchema } from "./schema";
import { parseSyncRef, revisionCommit, syncedRevisionOf, syncStatusOf } from "./sync-status";
import { gitTokenOf } from "./git-repository.server";

const who = { number: 7, title: "Serve llama", cluster: "prod-eu", team: "nlp" };
const sha = "0123456789abcdef0123456789abcdef01234567";

describe("rendering a delivery", () => {
  it("writes one file per object under path/cluster/team/REQ-n in apply order, manifest head first", () => {
    const files = renderDeliveryFiles("clusters/", who, [
      { kind: "ConfigMap", data: { a: "1" }, metadata: { name: "Cfg", namespace: "ml" }, apiVersion: "v1" },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml" } },
    ]);
    expect(files.map((f) => f.path)).toEqual([
      "clusters/prod-eu/nlp/REQ-7/1-namespace-ml.yaml",
      "clusters/prod-eu/nlp/REQ-7/2-configmap-ml-cfg.yaml",
    ]);
    expect(files[1]?.content).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Cfg\n  namespace: ml\ndata:\n  a: "1"\n',
    );
    expect(requestFolder("gitops/live", who)).toBe("gitops/live/prod-eu/nlp/REQ-7");
  });

  it("names the branch and puts request, team, cluster and approver in the message", () => {
    expect(deliveryBranch(7, "apply")).toBe("portal/REQ-7");
    expect(deliveryBranch(7, "revert")).toBe("portal/REQ-7-revert");
    const message = commitMessage({ ...who, approver: "Ada <ada@x>" }, "apply", "https://portal/requests/r1");
    expect(message.split("\n")[0]).toBe("REQ-7: Serve llama");
    expect(message).toContain("Approved-by: Ada <ada@x>");
    expect(message).toContain("Link: https://portal/requests/r1");
    expect(commitMessage({ ...who, approver: null }, "revert", null).split("\n")[0]).toBe("Revert REQ-7: Serve llama");
  });
});

describe("delivery settings", () => {
  it("requires a repository for git mode and refuses credentials in the URL", () => {
    const missing = deliverySettingsSchema.safeParse({ deliveryMode: "git" });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path.join("."))).toEqual(["gitRepoUrl"]);
    const withUser = deliverySettingsSchema.safeParse({ deliveryMode: "git", gitRepoUrl: "https://u:p@git.example/r" });
    expect(withUser.success).toBe(false);
    const bad = deliverySettingsSchema.safeParse({
      deliveryMode: "git",
      gitRepoUrl: "https://git.example/r.git",
      gitPath: "../etc",
      gitCredentialRef: "ghp_secret",
    });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join("."))).toEqual(["gitPath", "gitCredentialRef"]);
    expect(deliverySettingsSchema.parse({ deliveryMode: "direct" })).toMatchObject({ gitCredentialRef: "none" });
  });

  it("names a Git token only in a PORTAL_GIT_TOKEN_ variable, at input and again at use", () => {
    const settings = (gitCredentialRef: string) =>
      deliverySettingsSchema.safeParse({
        deliveryMode: "git",
        gitRepoUrl: "https://git.example/r.git",
        gitCredentialRef,
      });
    for (const ref of ["env:DATABASE_URL", "env:NEXTAUTH_SECRET", "env:PORTAL_GIT_TOKEN_", "env:portal_git_token_x"]) {
      const refused = settings(ref);
      expect(refused.success, ref).toBe(false);
      expect(refused.error?.issues[0]?.message, ref).toMatch(/gitCredentialRef .*PORTAL_GIT_TOKEN_/);
    }
    expect(settings("env:PORTAL_GIT_TOKEN_DEPLOY").success).toBe(true);

    const env = { DATABASE_URL: "postgresql://secret", PORTAL_GIT_TOKEN_DEPLOY: "ghp_x" };
    expect(gitTokenOf("env:PORTAL_GIT_TOKEN_DEPLOY", env)).toBe("ghp_x");
    expect(gitTokenOf("none", env)).toBeNull();
    // A reference stored before the rule: refused at use with a delivery error that says what to do.
    expect(() => gitTokenOf("env:DATABASE_URL", env)).toThrow(/only env:PORTAL_GIT_TOKEN_<NAME>/);
  });
});

describe("sync status", () => {
  it("reads Argo CD's sync revision and status", () => {
    const ref = parseSyncRef("argocd:argocd/platform");
    expect(ref).toMatchObject({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd" });
    if (!ref) return;
    const app = (status: string, revision: string) => ({
      status: { sync: { status, revision }, health: { status: "Healthy" } },
    });
    expect(syncStatusOf(ref, app("Synced", sha), sha)).toMatchObject({ state: "synced", health: "Healthy" });
    expect(syncStatusOf(ref, app("OutOfSync", sha), sha).state).toBe("out_of_sync");
    expect(syncStatusOf(ref, app("Synced", "f".repeat(40)), sha).state).toBe("pending");
  });

  it("reads Flux's lastAppliedRevision and Ready condition", () => {
    const ref = parseSyncRef("flux:flux-system/apps");
    expect(ref?.apiVersion).toBe("kustomize.toolkit.fluxcd.io/v1");
    if (!ref) return;
    const ks = (ready: string) => ({
      status: { lastAppliedRevision: `main@sha1:${sha}`, conditions: [{ type: "Ready", status: ready }] },
    });
    expect(syncStatusOf(ref, ks("True"), sha).state).toBe("synced");
    expect(syncStatusOf(ref, ks("False"), sha).state).toBe("pending");
    expect(parseSyncRef("argo:x/y")).toBeNull();
  });

  it("counts a later revision as synced only when told it contains the commit", () => {
    const ref = parseSyncRef("flux:flux-system/apps");
    if (!ref) return;
    const later = "a".repeat(40);
    const ks = (ready: string) => ({
      status: { lastAppliedRevision: `main@sha1:${later}`, conditions: [{ type: "Ready", status: ready }] },
    });
    expect(revisionCommit(`main@sha1:${later}`)).toBe(later);
    expect(revisionCommit(`main/${later}`)).toBe(later);
    expect(revisionCommit(later)).toBe(later);
    expect(revisionCommit("main")).toBeNull();
    expect(syncedRevisionOf(ref, ks("True"))).toEqual({ revision: `main@sha1:${later}`, inSync: true });
    expect(syncStatusOf(ref, ks("True"), sha).state).toBe("pending");
    expect(syncStatusOf(ref, ks("True"), sha, false).state).toBe("pending");
    expect(syncStatusOf(ref, ks("True"), sha, true)).toMatchObject({
      state: "synced",
      message: `synced at ${later.slice(0, 12)}, which contains ${sha.slice(0, 12)} (Kustomization flux-system/apps)`,
    });
    expect(syncStatusOf(ref, ks("False"), sha, true).state).toBe("pending");
  });

  it("reads a failed sync: Argo CD's last operation failed, Flux's Ready=False with a *Failed reason", () => {
    const argo = parseSyncRef("argocd:argocd/platform");
    const flux = parseSyncRef("flux:flux-system/apps");
    if (!argo || !flux) return;
    const app = (phase: string) => ({
      status: {
        sync: { status: "OutOfSync", revision: sha },
        operationState: { phase, message: "one or more objects failed to apply" },
      },
    });
    expect(syncStatusOf(argo, app("Failed"), sha)).toMatchObject({
      state: "failed",
      message: "Application argocd/platform's last sync failed: one or more objects failed to apply",
    });
    expect(syncStatusOf(argo, app("Running"), sha).state).toBe("out_of_sync");
    const ks = (reason: string) => ({
      status: { conditions: [{ type: "Ready", status: "False", reason, message: "kustomize build failed" }] },
    });
    expect(syncStatusOf(flux, ks("BuildFailed"), sha).state).toBe("failed");
    expect(syncStatusOf(flux, ks("Progressing"), sha).state).toBe("pending");
  });
});
