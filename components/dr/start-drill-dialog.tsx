"use client";
// Starts a drill. A dry run starts at once (it changes nothing); a live run opens a confirmation that names the
// cluster and the namespaces it will touch, lists every step that destroys or replaces something with its target,
// and asks for the cluster's name to be typed.
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import type { DestructiveStep } from "@/lib/dr/describe-step";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";

export interface DrillClusterChoice {
  id: string;
  name: string;
  isSandbox: boolean;
  protectedNamespaces: string[];
}

interface Props {
  planKey: string;
  planName: string;
  mode: "dry_run" | "live";
  clusters: DrillClusterChoice[];
  defaultClusterId: string | null;
  touchedNamespaces: string[];
  /** The plan's steps that destroy or replace something (destructiveSteps): listed before a live run starts. */
  destructive?: DestructiveStep[];
  canOverrideProtected: boolean;
}

export function StartDrillButton({
  planKey,
  planName,
  mode,
  clusters,
  defaultClusterId,
  touchedNamespaces,
  destructive = [],
  canOverrideProtected,
}: Props) {
  const router = useRouter();
  const startDrill = useApiMutation(api.drills.start, { invalidates: [api.drPlans.list] });
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [clusterId, setClusterId] = useState(defaultClusterId ?? clusters[0]?.id ?? "");
  const [confirmation, setConfirmation] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cluster = clusters.find((c) => c.id === clusterId);
  const guarded = cluster ? touchedNamespaces.filter((ns) => cluster.protectedNamespaces.includes(ns)) : [];
  const label = mode === "live" ? "Live run" : "Dry run";
  const canStart = !busy && Boolean(clusterId) && (mode !== "live" || confirmation === cluster?.name);

  async function start() {
    setBusy(true);
    setError(null);
    let runId: string;
    try {
      ({ runId } = await startDrill.mutateAsync({
        body: {
          planKey,
          clusterTargetId: clusterId || undefined,
          mode,
          ...(mode === "live" ? { confirmation } : {}),
          ...(mode === "live" && guarded.length > 0 && overrideReason
            ? { overrideProtectedReason: overrideReason }
            : {}),
        },
      }));
    } catch (e) {
      setBusy(false);
      return setError(asApiError(e).message);
    }
    setBusy(false);
    dialog.current?.close();
    router.push(`/drills/runs/${runId}`);
  }

  return (
    <>
      <button
        type="button"
        className={mode === "live" ? "btn btn-danger" : "btn"}
        data-testid={`drill-${mode === "live" ? "live" : "dry"}-${planKey}`}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} className="card dialog-narrow">
        <h2 id={`${id}-title`}>
          {mode === "live" ? "Start a LIVE drill" : "Start a dry run"}: {planName}
        </h2>
        {mode === "live" ? (
          <div className="alert alert-warning">
            <p className="flush-top">
              A live drill changes the cluster through the Kubernetes API. It will act on cluster{" "}
              <strong>{cluster?.name ?? "—"}</strong> in namespaces <strong>{touchedNamespaces.join(", ")}</strong>.
            </p>
            {destructive.length > 0 && (
              <>
                <p id={`${id}-destructive`}>It will destroy or replace:</p>
                <ul aria-labelledby={`${id}-destructive`} data-testid="destructive-steps">
                  {destructive.map((d) => {
                    const on = d.clusterTargetId
                      ? (clusters.find((c) => c.id === d.clusterTargetId)?.name ?? d.clusterTargetId)
                      : cluster?.name;
                    return (
                      <li key={d.index}>
                        Step {d.index + 1} ({d.name}): <strong>{d.effect}</strong> on {on ?? "—"}
                      </li>
                    );
                  })}
                </ul>
              </>
            )}
          </div>
        ) : (
          <p className="help">A dry run reads the cluster and shows what each step would do. It changes nothing.</p>
        )}
        <div className="field">
          <label htmlFor={`${id}-cluster`}>Cluster</label>
          <select id={`${id}-cluster`} value={clusterId} onChange={(e) => setClusterId(e.target.value)}>
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.isSandbox ? " (sandbox)" : ""}
              </option>
            ))}
          </select>
        </div>
        {mode === "live" && (
          <div className="field">
            <label htmlFor={`${id}-confirm`}>
              Type the cluster name <code>{cluster?.name}</code> to confirm
            </label>
            <input
              id={`${id}-confirm`}
              autoComplete="off"
              value={confirmation}
              onChange={(e) => setConfirmation(e.target.value)}
              // Typing the name and pressing Enter starts the run, as in any one-field form.
              onKeyDown={(e) => {
                if (e.key !== "Enter" || !canStart) return;
                e.preventDefault();
                void start();
              }}
              aria-invalid={confirmation.length > 0 && confirmation !== cluster?.name}
            />
          </div>
        )}
        {mode === "live" && guarded.length > 0 && (
          <div className="field">
            <p className="alert alert-danger">
              Protected namespaces on this cluster: {guarded.join(", ")}.
              {canOverrideProtected
                ? " Give a reason to override (recorded in the audit log)."
                : " Only an admin may override."}
            </p>
            {canOverrideProtected && (
              <>
                <label htmlFor={`${id}-override`}>Override reason</label>
                <textarea
                  id={`${id}-override`}
                  value={overrideReason}
                  onChange={(e) => setOverrideReason(e.target.value)}
                  rows={2}
                />
              </>
            )}
          </div>
        )}
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <span className="spacer" />
          <Button onClick={() => dialog.current?.close()}>Cancel</Button>
          <button
            type="button"
            className={mode === "live" ? "btn btn-danger" : "btn btn-primary"}
            disabled={!canStart}
            onClick={start}
          >
            {busy ? "Starting…" : mode === "live" ? `Run live on ${cluster?.name ?? ""}` : "Start dry run"}
          </button>
        </div>
      </dialog>
    </>
  );
}
