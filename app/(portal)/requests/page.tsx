import Link from "next/link";
import { RequestsTable } from "@/components/requests/requests-table";
import { Pagination } from "@/components/ui/pagination";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { listVisibleTeams } from "@/lib/people/list-visible-teams.server";
import { listRequests } from "@/lib/requests/list-requests.server";
import { requestKindInfo, requestKinds } from "@/lib/requests/request-kinds";
import { listRequestsQuery, requestStatuses, type ListRequestsQuery } from "@/lib/requests/schema";
import { Button, ButtonLink, buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export const metadata = { title: "Requests" };

function hrefFor(
  query: ListRequestsQuery,
  changes: Partial<Record<keyof ListRequestsQuery, string | number | undefined>>,
): string {
  const merged: Record<string, string | number | undefined> = { ...query, ...changes };
  const defaults: Record<string, string | number> = { sort: "-createdAt", page: 1, pageSize: 25 };
  const params = Object.entries(merged).filter(([k, v]) => v !== undefined && v !== "" && defaults[k] !== v) as [
    string,
    string,
  ][];
  const search = new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString();
  return search ? `/requests?${search}` : "/requests";
}

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePage("request.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== ""));
  const parsed = listRequestsQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : listRequestsQuery.parse({});
  const [result, teams] = await Promise.all([
    listRequests({ actor: user, query }),
    listVisibleTeams({ actor: user, action: "request.read" }),
  ]);
  const canCreate = can(user, "request.create");
  const isAdmin = can(user, "request.approve");
  const filtered = Boolean(query.status || query.kind || query.team || query.q);
  return (
    <>
      <div className="row">
        <div>
          <h1>Requests</h1>
          <p className="subtitle">
            GPU capacity, scaling profiles, training jobs, backups and security baselines: requested, approved and
            applied.
          </p>
        </div>
        <span className="spacer" />
        {canCreate && (
          <ButtonLink variant="primary" href="/requests/new">
            New request
          </ButtonLink>
        )}
      </div>
      {!parsed.success && (
        <div className="alert alert-warning" role="alert">
          Some filters in the address were not valid and were ignored.
        </div>
      )}
      {isAdmin && (
        <nav className="row mb-12" aria-label="Presets">
          <Link
            className={buttonClass(query.status === "pending_approval" ? "primary" : "secondary")}
            href={hrefFor({ ...query, page: 1 }, { status: "pending_approval" })}
            aria-current={query.status === "pending_approval" ? "page" : undefined}
          >
            Approval queue
          </Link>
          <ButtonLink href="/requests">All requests</ButtonLink>
        </nav>
      )}
      {/* Keyed on the query: a client-side navigation (a preset, Clear) must remount the defaultValue inputs. */}
      <form
        key={JSON.stringify([query.q, query.status, query.kind, query.team])}
        className="row card mb-16 items-end"
        method="get"
        aria-label="Filter requests"
      >
        <Field id="q" label="Search titles" className="flush">
          {(control) => <input {...control} name="q" type="search" defaultValue={query.q} placeholder="e.g. llama" />}
        </Field>
        <Field id="status" label="Status" className="flush">
          {(control) => (
            <select {...control} name="status" defaultValue={query.status ?? ""}>
              <option value="">Any</option>
              {requestStatuses.map((s) => (
                <option key={s} value={s}>
                  {s.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="kind" label="Kind" className="flush">
          {(control) => (
            <select {...control} name="kind" defaultValue={query.kind ?? ""}>
              <option value="">Any</option>
              {requestKinds.map((k) => (
                <option key={k} value={k}>
                  {requestKindInfo[k].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="team" label="Team" className="flush">
          {(control) => (
            <select {...control} name="team" defaultValue={query.team ?? ""}>
              <option value="">Any</option>
              {teams.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {query.sort !== "-createdAt" && <input type="hidden" name="sort" value={query.sort} />}
        <Button variant="primary" type="submit">
          Filter
        </Button>
        {filtered && <ButtonLink href="/requests">Clear</ButtonLink>}
      </form>
      {result.items.length === 0 ? (
        <div className="card empty" data-testid="requests-empty">
          {filtered ? (
            <>
              No request matches these filters. <Link href="/requests">Clear the filters</Link> to see all requests.
            </>
          ) : canCreate ? (
            <>
              No requests yet. Start with <Link href="/requests/new">New request</Link>: pick what you need and see its
              cost and YAML before you submit.
            </>
          ) : (
            <>No requests yet. Engineers create them from “New request”; they appear here for review.</>
          )}
        </div>
      ) : (
        <>
          <RequestsTable
            items={result.items}
            sort={query.sort}
            sortHref={(sort) => hrefFor(query, { sort, page: 1 })}
            now={new Date()}
          />
          <Pagination
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            href={(page) => hrefFor(query, { page })}
            noun="requests"
          />
        </>
      )}
    </>
  );
}
