"use client";
// How approved requests reach one cluster: a server-side apply, or a commit (and pull request) to a Git repository.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export interface DeliveryValues {
  deliveryMode: "direct" | "git";
  gitRepoUrl: string | null;
  gitBaseBranch: string;
  gitPath: string;
  gitHubRepo: string | null;
  gitHubApiUrl: string | null;
  gitCredentialRef: string;
  gitSyncRef: string | null;
}

const text = (v: string) => (v.trim() === "" ? null : v.trim());

export function DeliverySettingsForm({
  clusterId,
  clusterName,
  initial,
}: {
  clusterId: string;
  clusterName: string;
  initial: DeliveryValues;
}) {
  const router = useRouter();
  const [v, setV] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const saveDelivery = useApiMutation(api.clusters.delivery);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const textField = (name: keyof DeliveryValues, label: string, hint?: string, placeholder?: string) => (
    <Field label={label} hint={hint} error={fieldErrors[name]}>
      {(control) => (
        <input
          {...control}
          name={name}
          placeholder={placeholder}
          value={(v[name] as string | null) ?? ""}
          onChange={(e) => setV({ ...v, [name]: e.target.value })}
        />
      )}
    </Field>
  );
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFieldErrors({});
    try {
      await saveDelivery.mutateAsync({
        path: { id: clusterId },
        body: {
          ...v,
          gitRepoUrl: text(v.gitRepoUrl ?? ""),
          gitHubRepo: text(v.gitHubRepo ?? ""),
          gitHubApiUrl: text(v.gitHubApiUrl ?? ""),
          gitSyncRef: text(v.gitSyncRef ?? ""),
        },
      });
      setMessage({ ok: true, text: "Saved" });
      router.refresh();
    } catch (e) {
      const error = asApiError(e);
      setFieldErrors(error.fieldMessages());
      setMessage({ ok: false, text: error.message });
    } finally {
      setBusy(false);
    }
  };
  const git = v.deliveryMode === "git";
  return (
    <details>
      <summary>Delivery: {initial.deliveryMode === "git" ? "Git" : "direct apply"}</summary>
      <form onSubmit={save} className="grid mt-8" aria-label={`Delivery of ${clusterName}`}>
        <Field label="Delivery mode" error={fieldErrors.deliveryMode}>
          {(control) => (
            <select
              {...control}
              name="deliveryMode"
              value={v.deliveryMode}
              onChange={(e) => setV({ ...v, deliveryMode: e.target.value === "git" ? "git" : "direct" })}
            >
              <option value="direct">Direct (server-side apply)</option>
              <option value="git">Git (commit, pull request)</option>
            </select>
          )}
        </Field>
        {git && (
          <>
            {textField(
              "gitRepoUrl",
              "Repository URL",
              "http or https, on the URL allow-list.",
              "https://github.com/acme/deploy.git",
            )}
            {textField("gitBaseBranch", "Base branch")}
            {textField("gitPath", "Folder", "Files go to folder/cluster/team/REQ-n/.")}
            {textField(
              "gitCredentialRef",
              "Credential",
              "none, or env:PORTAL_GIT_TOKEN_NAME naming the server's variable.",
            )}
            {textField("gitHubRepo", "GitHub owner/repo", "Set it to open pull requests.")}
            {textField("gitHubApiUrl", "GitHub API URL", "Default https://api.github.com.")}
            {textField("gitSyncRef", "Sync status from", "argocd:namespace/app or flux:namespace/name.")}
          </>
        )}
        <Button type="submit" disabled={busy}>
          Save delivery
        </Button>
        {message && (
          <div className={message.ok ? "alert alert-info" : "alert alert-error"} role={message.ok ? "status" : "alert"}>
            {message.text}
          </div>
        )}
      </form>
    </details>
  );
}
