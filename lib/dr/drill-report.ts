// The drill report auditors read: Markdown (for tickets and repositories) and print-ready HTML (for PDF via the
// browser's print). Both come from the same facts so they cannot disagree.
import { formatDuration, type DrillEvidence } from "./drill-verdict";
import type { CleanupEvidence, DeploymentState, StepRecord } from "./step-record";

export interface ReportInput {
  plan: {
    key: string;
    name: string;
    version: number;
    rtoMinutes: number;
    rpoMinutes: number;
    allowRestoreWarnings: boolean;
  };
  run: {
    id: string;
    mode: "dry_run" | "live";
    status: string;
    trigger: string;
    startedBy: string | null;
    clusterName: string;
    namespaces: string[];
    startedAt: Date | null;
    finishedAt: Date | null;
    overrideReason: string | null;
    verdictReason: string | null;
    measuredRtoSeconds: number | null;
    measuredRpoSeconds: number | null;
    rtoBasis?: string;
    rpoBasis?: string;
    /** The gap between the restored backup and its schedule's previous backup (drill-verdict measureWorstCaseRpo). */
    worstCaseRpoSeconds?: number | null;
    worstCaseRpoBasis?: string;
  };
  steps: StepRecord[];
  evidence: DrillEvidence;
  generatedAt: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : "—");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function within(measured: number | null, targetMinutes: number): string {
  if (measured === null) return "not measured";
  return measured <= targetMinutes * 60 ? "within target" : "over target";
}

const deploymentWords = (d: DeploymentState) =>
  `revision ${d.revision}, ${d.replicas} replica${d.replicas === 1 ? "" : "s"}, image ${d.images.join(", ") || "—"}`;

const sameDeployment = (a: DeploymentState, b: DeploymentState) =>
  a.revision === b.revision && a.replicas === b.replicas && a.images.join(",") === b.images.join(",");

export function stepEvidenceLine(step: StepRecord): string {
  const o = step.output;
  const parts: string[] = [];
  if (o.failure)
    parts.push(
      `injected ${o.failure.kind} of ${o.failure.deployment ? `${o.failure.namespace}/${o.failure.deployment}` : o.failure.namespace} at ${o.failure.injectedAt}${o.failure.confirmedAt ? `, confirmed at ${o.failure.confirmedAt}: ${o.failure.observed ?? ""}` : ""}`,
    );
  if (o.backup)
    parts.push(
      `backup ${o.backup.name} ${o.backup.phase}, ${o.backup.startedAt ? `started ${o.backup.startedAt}, ` : ""}created ${o.backup.createdAt}${o.backup.createdInRun ? " (made by this drill)" : ""}`,
    );
  if (o.canary)
    parts.push(
      `canary ${o.canary.namespace}/${o.canary.name} written at ${o.canary.writtenAt}, sha256 ${o.canary.checksum}`,
    );
  if (o.canaryCheck)
    parts.push(
      `canary ${o.canaryCheck.namespace}/${o.canaryCheck.name} sha256 ${o.canaryCheck.foundChecksum ?? "absent"} ${o.canaryCheck.match ? "matches" : "does not match"} ${o.canaryCheck.expectedChecksum}`,
    );
  if (o.restore)
    parts.push(
      `restore ${o.restore.name} from ${o.restore.backupName}: ${o.restore.phase}, ${o.restore.errors} errors, ${o.restore.warnings} warnings${o.restore.itemsRestored != null ? `, ${o.restore.itemsRestored} items restored` : ""}`,
    );
  // A dry run's rollout is what a live run would do, checked by the API server without changing anything: it must not
  // read as a rollback that happened.
  if (o.rollout)
    parts.push(
      o.dryRun
        ? `would roll back ${o.rollout.namespace}/${o.rollout.deployment} from revision ${o.rollout.fromRevision} to ${o.rollout.toRevision} (${o.rollout.targetReplicaSet}) (dry run: server-side validation only)`
        : `${o.rollout.namespace}/${o.rollout.deployment} revision ${o.rollout.fromRevision} → ${o.rollout.toRevision} (${o.rollout.targetReplicaSet})`,
    );
  if (o.scale)
    parts.push(`${o.scale.namespace}/${o.scale.deployment} replicas ${o.scale.previousReplicas} → ${o.scale.replicas}`);
  if (o.pods)
    parts.push(
      `${o.pods.ready}/${o.pods.expected ?? o.pods.total} pods Ready in ${o.pods.namespace} (${o.pods.selector}${o.pods.createdAfter ? `, created after ${o.pods.createdAfter}` : ""}${o.pods.withoutImage ? `, not running ${o.pods.withoutImage}` : ""})`,
    );
  if (o.probe)
    parts.push(
      `in-cluster probe ${o.probe.job} on ${o.probe.cluster} → ${o.probe.url}: ${o.probe.golden === "record" ? `recorded ${o.probe.results.length} golden answer(s) at ${o.probe.recordedAt ?? "—"}` : `${(o.probe.matches ?? []).filter(Boolean).length} of ${o.probe.results.length} answers equal the golden set`} (sha256 ${o.probe.results.map((r) => r.sha256.slice(0, 12)).join(", ")}; attempt ${o.probe.attempts})`,
    );
  if (o.health)
    parts.push(
      `${o.health.url} → ${o.health.status ?? "no answer"} after ${o.health.attempts} attempt(s)${o.health.passedAt ? `, passed at ${o.health.passedAt}` : ""}`,
    );
  if (o.condition)
    parts.push(`${o.condition.kind} ${o.condition.name} ${o.condition.condition}=${o.condition.status ?? "absent"}`);
  if (o.rollForward)
    parts.push(
      sameDeployment(o.rollForward.before, o.rollForward.after)
        ? `${o.rollForward.namespace}/${o.rollForward.deployment} already as before the drill (undoing ${o.rollForward.undoing} needed no change): ${deploymentWords(o.rollForward.after)}`
        : `rolled ${o.rollForward.namespace}/${o.rollForward.deployment} forward (undoing ${o.rollForward.undoing}): ${deploymentWords(o.rollForward.before)} → ${deploymentWords(o.rollForward.after)}`,
    );
  if (o.cleanup)
    parts.push(
      (o.cleanup.removed.length
        ? `removed from ${o.cleanup.cluster}: ${o.cleanup.removed.join(", ")}`
        : `nothing of this drill was left on ${o.cleanup.cluster}`) + restoredWords(o.cleanup),
    );
  if (o.manual)
    parts.push(
      o.manual.confirmedBy ? `confirmed by ${o.manual.confirmedBy} at ${o.manual.confirmedAt}` : "not confirmed",
    );
  if (o.validation)
    parts.push(
      `${o.dryRun ? "server-side validation" : "validation"} ${o.validation.state}${o.validation.error ? `: ${o.validation.error}` : ""}`,
    );
  if (o.rollback) parts.push(`rollback ${o.rollback.state}${o.rollback.error ? `: ${o.rollback.error}` : ""}`);
  if (o.dryRun) parts.push(`dry run: ${o.dryRun.wouldDo}${o.dryRun.preflight ? ` — ${o.dryRun.preflight}` : ""}`);
  return parts.join("; ");
}

export function renderDrillReportMarkdown(input: ReportInput): string {
  const { plan, run, steps, evidence } = input;
  const lines = [
    `# DR drill report: ${plan.name}`,
    "",
    `- Verdict: **${run.mode === "dry_run" ? `dry run (${run.status})` : run.status.toUpperCase()}**${run.verdictReason ? ` — ${run.verdictReason}` : ""}`,
    `- Plan: \`${plan.key}\` version ${plan.version}; RTO target ${plan.rtoMinutes} min, RPO target ${plan.rpoMinutes} min; restore warnings ${plan.allowRestoreWarnings ? "accepted" : "not accepted"}`,
    `- Run: \`${run.id}\`, ${run.mode === "live" ? "live" : "dry run"}, trigger ${run.trigger}, started by ${run.startedBy ?? "scheduler"}`,
    `- Cluster: ${run.clusterName}; namespaces: ${run.namespaces.join(", ")}`,
    `- Started ${iso(run.startedAt)}, finished ${iso(run.finishedAt)}`,
    ...(run.overrideReason ? [`- Protected-namespace override: ${run.overrideReason}`] : []),
    "",
    "## Recovery objectives",
    "",
    "| | measured | target | result | measured as |",
    "|---|---|---|---|---|",
    `| RTO | ${formatDuration(run.measuredRtoSeconds)} | ${plan.rtoMinutes} min | ${within(run.measuredRtoSeconds, plan.rtoMinutes)} | ${cell(run.rtoBasis ?? "drill start → first passing health check")} |`,
    `| RPO | ${formatDuration(run.measuredRpoSeconds)} | ${plan.rpoMinutes} min | ${within(run.measuredRpoSeconds, plan.rpoMinutes)} | ${cell(run.rpoBasis ?? "drill start − creation of the backup used")} |`,
    ...(run.worstCaseRpoBasis
      ? [
          `| RPO, worst case | ${formatDuration(run.worstCaseRpoSeconds ?? null)} | ${plan.rpoMinutes} min | ${within(run.worstCaseRpoSeconds ?? null, plan.rpoMinutes)} | ${cell(run.worstCaseRpoBasis)} |`,
        ]
      : []),
    "",
    "## Steps",
    "",
    "| # | step | type | state | started | finished | evidence | error |",
    "|---|---|---|---|---|---|---|---|",
    ...steps.map(
      (s) =>
        `| ${s.index + 1} | ${cell(s.name)} | ${s.type} | ${s.state} | ${iso(s.startedAt)} | ${iso(s.finishedAt)} | ${cell(stepEvidenceLine(s))} | ${cell(s.error ?? "")} |`,
    ),
    "",
    "## Evidence",
    "",
  ];
  if (evidence.failure) {
    const f = evidence.failure;
    lines.push(
      `- Failure injected (${f.step}): ${f.kind} of ${f.deployment ? `${f.namespace}/${f.deployment}` : f.namespace}${f.cluster ? ` on ${f.cluster}` : ""} at ${f.injectedAt} (the failure instant)${f.confirmedAt ? `; confirmed at ${f.confirmedAt}: ${f.observed ?? ""}` : ""}`,
    );
  }
  if (evidence.backup) {
    const b = evidence.backup;
    const point = b.recoveryPointAt
      ? `, data from ${b.recoveryPointAt} (${b.recoveryPointSource === "metadata.creationTimestamp" ? "metadata.creationTimestamp: the backup has no status.startTimestamp" : "status.startTimestamp"})`
      : "";
    lines.push(
      `- Recovery point: backup \`${b.name}\` (${b.namespace}), created ${b.createdAt}${point}, used by ${b.usedBy}`,
    );
  }
  for (const r of evidence.restores) {
    const items =
      r.itemsRestored != null
        ? `, ${r.itemsRestored}${r.totalItems != null ? ` of ${r.totalItems}` : ""} items restored`
        : "";
    const where = r.existingResourcePolicy
      ? `, existingResourcePolicy ${r.existingResourcePolicy}${r.cluster ? ` on ${r.cluster}` : ""}`
      : "";
    const point = r.backupRecoveryPointAt
      ? ` (backup started ${r.backupRecoveryPointAt}, ${r.backupRecoveryPointSource ?? "status.startTimestamp"}${r.backupCreatedInRun ? "; made by this drill" : ""})`
      : "";
    lines.push(
      `- Restore \`${r.name}\` from \`${r.backupName}\`${point}: phase ${r.phase}, ${r.errors} errors, ${r.warnings} warnings${items}${where}${r.failureReason ? `, reason: ${r.failureReason}` : ""}`,
    );
  }
  for (const c of evidence.canaries ?? [])
    lines.push(`- Canary \`${c.namespace}/${c.name}\` written at ${c.writtenAt} with sha256 ${c.checksum}`);
  for (const c of evidence.canaryChecks ?? []) {
    lines.push(
      `- Canary read back from \`${c.namespace}/${c.name}\`${c.restoredBy ? ` (restored by ${c.restoredBy})` : ""}: sha256 ${c.foundChecksum ?? "absent"}, ${c.match || (c.volume && c.foundChecksum === c.expectedChecksum) ? "matches" : "does NOT match"} the ${c.expectedChecksum} written`,
    );
    if (c.volume)
      lines.push(
        `- Canary file \`${c.volume.file}\` in volume \`${c.volume.claim}\` (read by Job ${c.volume.job}): sha256 ${c.volume.foundSha256 ?? "absent"}, ${c.volume.match ? "matches" : "does NOT match"} the ${c.volume.expectedSha256} written`,
      );
  }
  for (const f of evidence.rollForwards ?? [])
    lines.push(
      `- Roll-forward \`${f.namespace}/${f.deployment}\` (undoing ${f.undoing}): before ${deploymentWords(f.before)}; after ${deploymentWords(f.after)}`,
    );
  for (const c of evidence.cleanups ?? [])
    lines.push(
      `- Cleanup on ${c.cluster}: ${c.removed.length ? `removed ${c.removed.join(", ")}` : "nothing of this drill was left"}${restoredWords(c)}`,
    );
  for (const r of evidence.rollouts)
    lines.push(
      `- Rollout undo \`${r.namespace}/${r.deployment}\`: revision ${r.fromRevision} → ${r.toRevision} (ReplicaSet \`${r.targetReplicaSet}\`)`,
    );
  for (const h of evidence.healthChecks)
    lines.push(
      `- Health check \`${h.url}\` (${h.step}): HTTP ${h.status ?? "no answer"} after ${h.attempts} attempt(s)${h.passedAt ? `, passing at ${h.passedAt}` : ""}`,
    );
  for (const n of evidence.notes) lines.push(`- Note: ${n}`);
  if (lines[lines.length - 1] === "") lines.push("- No evidence was recorded.");
  lines.push(
    "",
    `_Generated ${input.generatedAt.toISOString()} by the ML platform portal from the stored drill record._`,
    "",
  );
  return lines.join("\n");
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** A self-contained HTML page laid out for A4 printing (the browser's "Save as PDF" gives the PDF). */
export function renderDrillReportHtml(input: ReportInput): string {
  const { plan, run, steps } = input;
  const verdict = run.mode === "dry_run" ? `Dry run (${run.status})` : run.status.toUpperCase();
  const rows = steps
    .map(
      (s) =>
        `<tr><td>${s.index + 1}</td><td>${escapeHtml(s.name)}</td><td>${s.type}</td><td class="state-${s.state}">${s.state}</td><td>${iso(s.startedAt)}</td><td>${iso(s.finishedAt)}</td><td>${escapeHtml(stepEvidenceLine(s))}</td><td>${escapeHtml(s.error ?? "")}</td></tr>`,
    )
    .join("\n");
  const evidence = renderDrillReportMarkdown(input)
    .split("## Evidence")[1]!
    .split("\n_Generated")[0]!
    .split("\n")
    .filter((l) => l.startsWith("- "));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DR drill report: ${escapeHtml(plan.name)} (${escapeHtml(run.id)})</title>
<style>
@page { size: A4; margin: 16mm; }
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; }
h1 { font-size: 18pt; margin: 0 0 8pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; } th, td { border: 1px solid #999; padding: 3pt 4pt; text-align: left; vertical-align: top; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.verdict { font-size: 14pt; font-weight: 700; } .state-failed, .state-rolled_back { color: #a00; } .state-succeeded { color: #060; }
</style></head><body>
<h1>DR drill report: ${escapeHtml(plan.name)}</h1>
<p class="verdict">Verdict: ${escapeHtml(verdict)}</p>
<p>${escapeHtml(run.verdictReason ?? "")}</p>
<dl>
<dt>Plan</dt><dd>${escapeHtml(plan.key)} version ${plan.version}; RTO target ${plan.rtoMinutes} min, RPO target ${plan.rpoMinutes} min</dd>
<dt>Run</dt><dd>${escapeHtml(run.id)}, ${run.mode === "live" ? "live" : "dry run"}, trigger ${escapeHtml(run.trigger)}, started by ${escapeHtml(run.startedBy ?? "scheduler")}</dd>
<dt>Cluster</dt><dd>${escapeHtml(run.clusterName)}; namespaces ${escapeHtml(run.namespaces.join(", "))}</dd>
<dt>Time</dt><dd>${iso(run.startedAt)} → ${iso(run.finishedAt)}</dd>
${run.overrideReason ? `<dt>Protected-namespace override</dt><dd>${escapeHtml(run.overrideReason)}</dd>` : ""}
</dl>
<h2>Recovery objectives</h2>
<table><thead><tr><th></th><th>measured</th><th>target</th><th>result</th><th>measured as</th></tr></thead><tbody>
<tr><td>RTO</td><td>${formatDuration(run.measuredRtoSeconds)}</td><td>${plan.rtoMinutes} min</td><td>${within(run.measuredRtoSeconds, plan.rtoMinutes)}</td><td>${escapeHtml(run.rtoBasis ?? "")}</td></tr>
<tr><td>RPO</td><td>${formatDuration(run.measuredRpoSeconds)}</td><td>${plan.rpoMinutes} min</td><td>${within(run.measuredRpoSeconds, plan.rpoMinutes)}</td><td>${escapeHtml(run.rpoBasis ?? "")}</td></tr>
${run.worstCaseRpoBasis ? `<tr><td>RPO, worst case</td><td>${formatDuration(run.worstCaseRpoSeconds ?? null)}</td><td>${plan.rpoMinutes} min</td><td>${within(run.worstCaseRpoSeconds ?? null, plan.rpoMinutes)}</td><td>${escapeHtml(run.worstCaseRpoBasis)}</td></tr>` : ""}
</tbody></table>
<h2>Steps</h2>
<table><thead><tr><th>#</th><th>step</th><th>type</th><th>state</th><th>started</th><th>finished</th><th>evidence</th><th>error</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Evidence</h2>
<ul>${evidence.map((l) => `<li>${escapeHtml(l.slice(2).replace(/`/g, ""))}</li>`).join("")}</ul>
<p><small>Generated ${input.generatedAt.toISOString()} by the ML platform portal from the stored drill record.</small></p>
</body></html>
`;
}

/** What cleanup took off the recovery cluster from this run's restore, so it stops serving the drill's copy. */
function restoredWords(c: CleanupEvidence): string {
  if (!c.restored) return "";
  return c.restored.removed.length
    ? `; removed what restore ${c.restored.restore} created: ${c.restored.removed.join(", ")}`
    : `; restore ${c.restored.restore} left nothing to remove`;
}
