"use client";
// The request's timeline, live: polls for new entries every 1.5 s while the request is approved or applying,
// and refreshes the page (results, status, actions) when the status changes.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { ResultOf } from "@/lib/client/api-client";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { useApiClient } from "@/lib/client/hooks";
import { isQuotaExceeded, QuotaExceededPanel } from "./quota-exceeded-panel";

type TimelineEvent = ResultOf<typeof requestEndpoints.timeline>["events"][number];

/** An event's data as the object it is (a JSON column: anything, or null). */
function dataOf(e: TimelineEvent): Record<string, unknown> | null {
  return typeof e.data === "object" && e.data !== null ? (e.data as Record<string, unknown>) : null;
}

const liveStatuses = new Set(["approved", "applying"]);

export function RequestTimeline({ requestId, status, kind }: { requestId: string; status: string; kind: string }) {
  const router = useRouter();
  const client = useApiClient();
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => new Date());
  const lastId = useRef(0);
  const knownStatus = useRef(status);
  useEffect(() => {
    knownStatus.current = status;
  }, [status]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll() {
      try {
        // Polled by hand, not as a query: each poll asks only for the entries after the last one it has.
        const body = await client.call(requestEndpoints.timeline, {
          path: { id: requestId },
          query: { after: lastId.current },
        });
        if (stopped) return;
        const newest = body.events.at(-1);
        if (newest) {
          lastId.current = newest.id;
          setEvents((prev) => [...prev, ...body.events.filter((e) => !prev.some((p) => p.id === e.id))]);
        }
        setError(null);
        setLoaded(true);
        setNow(new Date());
        // The server's view moved on (e.g. applying → applied): reload the server-rendered parts.
        if (body.status !== knownStatus.current) router.refresh();
        if (liveStatuses.has(body.status)) timer = setTimeout(poll, 1500);
      } catch (e) {
        if (stopped) return;
        setError(`The timeline could not be refreshed (${String(e instanceof Error ? e.message : e)}); retrying.`);
        timer = setTimeout(poll, 3000);
      }
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [requestId, status, router, client]);

  return (
    <section className="card" aria-labelledby="timeline-title" data-testid="timeline">
      <div className="row">
        <h2 className="flush" id="timeline-title">
          Timeline
        </h2>
        <span className="spacer" />
        {liveStatuses.has(status) && (
          <span className="badge badge-info" aria-live="polite">
            live
          </span>
        )}
      </div>
      {error && (
        <div className="alert alert-warning" role="status">
          {error}
        </div>
      )}
      {(() => {
        // Only the latest run's quota failure matters: a later successful apply supersedes it.
        const last = [...events].reverse().find((e) => e.type.endsWith(".failed") || e.type.endsWith(".succeeded"));
        return last && isQuotaExceeded(last.data) ? <QuotaExceededPanel data={last.data} kind={kind} /> : null;
      })()}
      {!loaded ? (
        <div className="skeleton skeleton-60 mt-8" aria-label="Loading the timeline" role="status" />
      ) : (
        <ol className="timeline mt-8" aria-live="polite">
          {events.map((e) => {
            const outcome = typeof dataOf(e)?.outcome === "string" ? String(dataOf(e)?.outcome) : null;
            return (
              <li key={e.id} data-type={e.type}>
                <div className="row gap-6">
                  <code className="text-small">{e.type}</code>
                  {outcome && (
                    <StatusBadge
                      status={outcome === "failed" ? "failed" : outcome === "created" ? "applied" : "approved"}
                      label={outcome}
                    />
                  )}
                  <span className="help flush">
                    <RelativeTime date={new Date(e.at)} now={now} />
                  </span>
                </div>
                <div>{e.message}</div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
