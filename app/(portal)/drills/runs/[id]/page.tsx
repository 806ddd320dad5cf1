import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { getDrillRun } from "@/lib/dr/get-drill-run.server";
import { DomainError } from "@/lib/errors/domain-error";
import { DrillRunLive } from "@/components/dr/drill-run-live";

export const metadata = { title: "Drill run" };
export const dynamic = "force-dynamic";

export default async function DrillRunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage("drill.read");
  const { id } = await params;
  const run = await getDrillRun({ actor: user, runId: id }).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  });
  const canAbort = can(user, run.mode === "live" ? "drill.run-live" : "drill.run-dry");
  return (
    <DrillRunLive
      initial={JSON.parse(JSON.stringify(run))}
      canAbort={canAbort}
      canConfirm={can(user, "drill.run-live")}
    />
  );
}
