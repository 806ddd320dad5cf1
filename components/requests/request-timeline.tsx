"use client";
// The request's timeline, live: polls for new entries every 1.5 s while the request is approved or applying,
// and refreshes the page (results, status, actions) when the status changes.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { isQuotaExceeded, QuotaExceededPanel } from "./quota-exceeded-panel";

export interface TimelineEvent {
  id: number;
  at: string;
  type: string;
  message: string;
  data: Record<string, unknown> | null;
}

const liveStatuses = new Set(["approved", "applying"]);

export function RequestTimeline({ requestId, status, kind }: { requestId: string; status: string; kind: string }) {
  const router = useRouter();
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
        const response = await fetch(`/api/v1/requests/${requestId}/timeline?after=${lastId.current}`, {
          cache: "no-store",
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = (await response.json()) as { events: TimelineEvent[]; status: string };
        if (stopped) return;
        if (body.events.length) {
          lastId.current = body.events[body.events.length - 1].id;
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
  }, [requestId, status, router]);

  return (
    <section className="card" aria-labelledby="timeline-title" data-testid="timeline">
      <div className="row">
        <h2 id="timeline-title" style={{ margin: 0 }}>
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
        <div
          className="skeleton"
          style={{ height: 60, marginTop: 8 }}
          aria-label="Loading the timeline"
          role="status"
        />
      ) : (
        <ol className="timeline" aria-live="polite" style={{ marginTop: 8 }}>
          {events.map((e) => {
            const outcome = typeof e.data?.outcome === "string" ? e.data.outcome : null;
            return (
              <li key={e.id} data-type={e.type}>
                <div className="row" style={{ gap: 6 }}>
                  <code style={{ fontSize: 12 }}>{e.type}</code>
                  {outcome && (
                    <StatusBadge
                      status={outcome === "failed" ? "failed" : outcome === "created" ? "applied" : "approved"}
                      label={outcome}
                    />
                  )}
                  <span className="help" style={{ margin: 0 }}>
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
