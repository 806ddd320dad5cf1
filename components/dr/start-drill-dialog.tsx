"use client";
// Starts a drill. A dry run starts at once (it changes nothing); a live run opens a confirmation that names the
// cluster and the namespaces it will touch, lists every step that destroys or replaces something with its target,
// and asks for the cluster's name to be typed.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { DestructiveStep } from "@/lib/dr/describe-step";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";

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
  const id = useId();
  const [open, setOpen] = useState(false);
  const [clusterId, setClusterId] = useState(defaultClusterId ?? clusters[0]?.id ?? "");
  const [confirmation, setConfirmation] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const cluster = clusters.find((c) => c.id === clusterId);
  const guarded = cluster ? touchedNamespaces.filter((ns) => cluster.protectedNamespaces.includes(ns)) : [];
  const label = mode === "live" ? "Live run" : "Dry run";
  const confirmationWrong = confirmation.length > 0 && confirmation !== cluster?.name;
  const canStart = !busy && Boolean(clusterId) && (mode !== "live" || confirmation === cluster?.name);

  async function start() {
    setBusy(true);
    setError(null);
    setFieldErrors({});
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
      const apiError = asApiError(e);
      setFieldErrors(apiError.fieldMessages());
      return setError(apiError.message);
    }
    setBusy(false);
    setOpen(false);
    router.push(`/drills/runs/${runId}`);
  }

  return (
    <>
      <Button
        variant={mode === "live" ? "danger" : "secondary"}
        data-testid={`drill-${mode === "live" ? "live" : "dry"}-${planKey}`}
        onClick={() => {
          setError(null);
          setFieldErrors({});
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={
          <>
            {mode === "live" ? "Start a LIVE drill" : "Start a dry run"}: {planName}
          </>
        }
        actions={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant={mode === "live" ? "danger" : "primary"}
              loading={busy}
              loadingText="Starting…"
              disabled={!canStart}
              onClick={start}
            >
              {mode === "live" ? `Run live on ${cluster?.name ?? ""}` : "Start dry run"}
            </Button>
          </>
        }
      >
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
        <Field label="Cluster" error={fieldErrors.clusterTargetId}>
          {(control) => (
            <select {...control} value={clusterId} onChange={(e) => setClusterId(e.target.value)}>
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.isSandbox ? " (sandbox)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        {mode === "live" && (
          <Field
            label={
              <>
                Type the cluster name <code>{cluster?.name}</code> to confirm
              </>
            }
            error={
              fieldErrors.confirmation ??
              (confirmationWrong ? `Does not match the cluster name ${cluster?.name}.` : null)
            }
          >
            {(control) => (
              <input
                {...control}
                autoComplete="off"
                value={confirmation}
                onChange={(e) => setConfirmation(e.target.value)}
                // Typing the name and pressing Enter starts the run, as in any one-field form.
                onKeyDown={(e) => {
                  if (e.key !== "Enter" || !canStart) return;
                  e.preventDefault();
                  void start();
                }}
              />
            )}
          </Field>
        )}
        {mode === "live" && guarded.length > 0 && (
          <>
            <p className="alert alert-danger">
              Protected namespaces on this cluster: {guarded.join(", ")}.
              {canOverrideProtected
                ? " Give a reason to override (recorded in the audit log)."
                : " Only an admin may override."}
            </p>
            {canOverrideProtected && (
              <Field label="Override reason" error={fieldErrors.overrideProtectedReason}>
                {(control) => (
                  <textarea
                    {...control}
                    value={overrideReason}
                    onChange={(e) => setOverrideReason(e.target.value)}
                    rows={2}
                  />
                )}
              </Field>
            )}
          </>
        )}
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
      </Dialog>
    </>
  );
}
