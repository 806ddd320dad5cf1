"use client";
// How fresh each cost source is (last success, data until, stale, last error) and "Ingest now", which queues the
// ingestion job; the worker runs it, so the table changes only once it has finished.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { RelativeTime } from "@/components/ui/relative-time";
import { Button } from "@/components/ui/button";

export interface IngestionRow {
  source: string;
  lastSuccessAt: string | null;
  dataUntil: string | null;
  stale: boolean;
  lastError: string | null;
}

function When({ iso, now }: { iso: string | null; now: Date }) {
  return iso ? <RelativeTime date={new Date(iso)} now={now} /> : <span className="help">never</span>;
}

export function IngestionCard({ rows, now }: { rows: IngestionRow[]; now: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const ingest = useApiMutation(api.costs.ingest, { invalidates: [api.costs.settings] });
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const nowDate = new Date(now);

  async function ingestNow() {
    setBusy(true);
    setMessage(null);
    try {
      const { jobId } = await ingest.mutateAsync({ body: {} });
      setMessage({
        tone: "info",
        text: `Ingestion queued${jobId ? ` (job ${jobId})` : ""}. A worker runs it shortly: refresh the status to see the result.`,
      });
    } catch (e) {
      setMessage({ tone: "danger", text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="ingestion-title" data-testid="ingestion-card">
      <h2 className="flush-top" id="ingestion-title">
        Ingestion
      </h2>
      {rows.length === 0 ? (
        <p className="empty">No ingestion status: save the cost data sources first.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table">
            <caption className="visually-hidden">Ingestion status per cost source</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Last success</th>
                <th scope="col">Data until</th>
                <th scope="col">Freshness</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.source} data-testid="ingestion-row" data-source={r.source}>
                  <th scope="row">{r.source}</th>
                  <td>
                    <When iso={r.lastSuccessAt} now={nowDate} />
                  </td>
                  <td>
                    <When iso={r.dataUntil} now={nowDate} />
                  </td>
                  <td>
                    {r.stale ? (
                      <span className="badge badge-warning">stale</span>
                    ) : (
                      <span className="badge badge-success">fresh</span>
                    )}
                  </td>
                  <td>
                    {r.lastError ? (
                      <span className="field-error flush-top">{r.lastError}</span>
                    ) : (
                      <span className="help">none</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {message && (
        <div
          className={`alert alert-${message.tone} mt-12`}
          role={message.tone === "danger" ? "alert" : "status"}
          data-testid="ingest-message"
        >
          {message.text}
        </div>
      )}
      <div className="row mt-12">
        <Button variant="primary" onClick={ingestNow} disabled={busy} data-testid="ingest-now">
          {busy ? "Queuing…" : "Ingest now"}
        </Button>
        <Button onClick={() => router.refresh()}>Refresh status</Button>
        <span className="help">The schedule ingests every hour (at minute 5) anyway.</span>
      </div>
    </section>
  );
}
