const tone: Record<string, string> = {
  pending_approval: "badge-warning",
  approved: "badge-info",
  applying: "badge-info",
  applied: "badge-success",
  apply_failed: "badge-danger",
  rejected: "badge-danger",
  reverted: "",
  cancelled: "",
  success: "badge-success",
  denied: "badge-danger",
  failure: "badge-danger",
  queued: "",
  running: "badge-info",
  passed: "badge-success",
  failed: "badge-danger",
  aborted: "badge-warning",
  pending: "",
  retrying: "badge-warning",
  delivered: "badge-success",
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`badge ${tone[status] ?? ""}`} data-status={status}>
      {label ?? status.replace(/_/g, " ")}
    </span>
  );
}
