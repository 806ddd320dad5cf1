import Link from "next/link";
import { auditDetailEntries, auditTargetDisplay, SHOWN_DETAILS } from "@/lib/audit/audit-view";
import { loadAuditTargetNames } from "@/lib/audit/audit-target-names.server";
import { requirePage } from "@/lib/auth/session.server";
import { auditQuerySchema, listAuditEvents } from "@/lib/audit/list-audit-events.server";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { BreakAt } from "@/components/ui/break-at";

export const metadata = { title: "Audit" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requirePage("audit.read");
  const parsed = auditQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const { events, total, pageSize } = await listAuditEvents(query);
  const names = await loadAuditTargetNames(events);
  const now = new Date();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (page: number) =>
    `/audit?${new URLSearchParams(Object.entries({ ...query, page: String(page) }).filter(([, v]) => v !== undefined) as [string, string][])}`;
  return (
    <>
      <h1>Audit</h1>
      <p className="subtitle">Every change of state and every refusal: who, what, when, the target and the outcome.</p>
      <form className="row card mb-16" method="get" aria-label="Filter audit events">
        <Field id="action" label="Action starts with" className="flush">
          {(control) => <input {...control} name="action" defaultValue={query.action} placeholder="request." />}
        </Field>
        <Field id="outcome" label="Outcome" className="flush">
          {(control) => (
            <select {...control} name="outcome" defaultValue={query.outcome ?? ""}>
              <option value="">Any</option>
              <option value="success">success</option>
              <option value="denied">denied</option>
              <option value="failure">failure</option>
            </select>
          )}
        </Field>
        <Field id="actor" label="Actor email contains" className="flush">
          {(control) => <input {...control} name="actor" defaultValue={query.actor} />}
        </Field>
        <Button variant="primary" type="submit">
          Filter
        </Button>
      </form>
      {events.length === 0 ? (
        <div className="card empty">No audit events match these filters. Clear a filter to see more.</div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <RelativeTime date={e.at} now={now} />
                  </td>
                  {/* Emails and action names wrap after "@" and "." so that Details keeps its width at 1,024 px;
                      breaking anywhere let these columns shrink to a few letters and split words. */}
                  <td className="break-words">
                    <BreakAt text={e.actorEmail ?? "system"} />
                  </td>
                  <td className="break-words">
                    <code>
                      <BreakAt text={e.action} />
                    </code>
                  </td>
                  <td className="break-words">
                    <span className="help">{e.targetType}</span>
                    <AuditTarget target={auditTargetDisplay(e.targetType, e.targetId, names)} />
                  </td>
                  <td>
                    <StatusBadge status={e.outcome} />
                  </td>
                  <td className="wrap-anywhere min-w-220">
                    <AuditDetails entries={auditDetailEntries(e.details)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="row mt-12">
        <span>
          {total} events · page {query.page} of {pages}
        </span>
        {query.page > 1 && <ButtonLink href={link(query.page - 1)}>Previous</ButtonLink>}
        {query.page < pages && <ButtonLink href={link(query.page + 1)}>Next</ButtonLink>}
      </p>
    </>
  );
}

function AuditTarget({ target }: { target: ReturnType<typeof auditTargetDisplay> }) {
  if (!target) return null;
  return (
    <>
      {" "}
      {target.href ? (
        <Link href={target.href} title={target.title}>
          <BreakAt text={target.text} />
        </Link>
      ) : (
        <span title={target.title}>
          <BreakAt text={target.text} />
        </span>
      )}
    </>
  );
}

// The first few fields stay in view; the rest open on demand, so one verbose event does not make a row tall.
function AuditDetails({ entries }: { entries: { key: string; value: string }[] }) {
  const line = (d: { key: string; value: string }) => (
    <div className="text-small" key={d.key}>
      <span className="help">{d.key}:</span> {d.value}
    </div>
  );
  const rest = entries.slice(SHOWN_DETAILS);
  return (
    <>
      {entries.slice(0, SHOWN_DETAILS).map(line)}
      {rest.length > 0 && (
        <details>
          <summary className="text-small">
            {rest.length} more {rest.length === 1 ? "field" : "fields"}
          </summary>
          {rest.map(line)}
        </details>
      )}
    </>
  );
}
