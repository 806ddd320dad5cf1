"use client";
// How approved requests reach one cluster: a server-side apply, or a commit (and pull request) to a Git repository.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";

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
  const field = (name: keyof DeliveryValues) => ({
    id: `${clusterName}-${name}`,
    name,
    value: (v[name] as string | null) ?? "",
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [name]: e.target.value }),
  });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
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
      setMessage({ ok: false, text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  };
  const git = v.deliveryMode === "git";
  return (
    <details>
      <summary>Delivery: {initial.deliveryMode === "git" ? "Git" : "direct apply"}</summary>
      <form onSubmit={save} className="grid mt-8" aria-label={`Delivery of ${clusterName}`}>
        <label htmlFor={`${clusterName}-deliveryMode`}>Delivery mode</label>
        <select
          id={`${clusterName}-deliveryMode`}
          name="deliveryMode"
          value={v.deliveryMode}
          onChange={(e) => setV({ ...v, deliveryMode: e.target.value === "git" ? "git" : "direct" })}
        >
          <option value="direct">Direct (server-side apply)</option>
          <option value="git">Git (commit, pull request)</option>
        </select>
        {git && (
          <>
            <label htmlFor={`${clusterName}-gitRepoUrl`}>Repository URL (http/https, on the URL allow-list)</label>
            <input {...field("gitRepoUrl")} placeholder="https://github.com/acme/deploy.git" />
            <label htmlFor={`${clusterName}-gitBaseBranch`}>Base branch</label>
            <input {...field("gitBaseBranch")} />
            <label htmlFor={`${clusterName}-gitPath`}>Folder (files go to folder/cluster/team/REQ-n/)</label>
            <input {...field("gitPath")} />
            <label htmlFor={`${clusterName}-gitCredentialRef`}>Credential (none or env:PORTAL_GIT_TOKEN_NAME)</label>
            <input {...field("gitCredentialRef")} />
            <label htmlFor={`${clusterName}-gitHubRepo`}>GitHub owner/repo (opens pull requests)</label>
            <input {...field("gitHubRepo")} />
            <label htmlFor={`${clusterName}-gitHubApiUrl`}>GitHub API URL (default https://api.github.com)</label>
            <input {...field("gitHubApiUrl")} />
            <label htmlFor={`${clusterName}-gitSyncRef`}>Sync status from (argocd:ns/app or flux:ns/name)</label>
            <input {...field("gitSyncRef")} />
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
