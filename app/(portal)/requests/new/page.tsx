import Link from "next/link";
import { RequestForm } from "@/components/requests/request-form";
import { initialInput, isRequestKind } from "@/components/requests/request-form-model";
import { decodeDraft, initialTeamId } from "@/lib/requests/draft-link";
import { kindForDraft } from "@/lib/requests/request-kinds";
import { requirePage } from "@/lib/auth/session.server";
import { loadRequestForm } from "@/lib/requests/load-request-form.server";

export const metadata = { title: "New request" };

export default async function NewRequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePage("request.create");
  const params = await searchParams;
  // SREs come here for backups; engineers mostly for serving capacity.
  const draft = decodeDraft(params.draft);
  // A link with a draft but no kind (an older recommendation link) opens the kind that applies that draft.
  const kind = isRequestKind(params.kind)
    ? params.kind
    : draft
      ? kindForDraft(draft)
      : user.role === "sre"
        ? "backup_schedule"
        : "inference_scaling";
  // The id is checked again when submitted; a malformed one is dropped here rather than sent.
  const recommendationId =
    params.recommendation && /^[A-Za-z0-9_-]{1,64}$/.test(params.recommendation) ? params.recommendation : undefined;
  const { teams, clusters, priceLists } = await loadRequestForm({ actor: user });
  return (
    <>
      <h1>New request</h1>
      <p className="subtitle">
        Pick what you need; every field has a default. The plan, its cost and its security report update as you type.
      </p>
      {params.draft && !draft && (
        <div className="alert alert-warning" role="alert">
          The draft in the link could not be read: the form starts from the defaults.
        </div>
      )}
      {teams.length === 0 ? (
        <div className="card empty">
          You are not a member of any team, so you cannot request anything yet. Ask a platform admin to add you to a
          team.
        </div>
      ) : clusters.length === 0 ? (
        <div className="card empty">
          No cluster is registered yet. <Link href="/clusters">Register a cluster</Link> (platform admins) first.
        </div>
      ) : (
        <>
          {recommendationId && (
            <div className="alert alert-info" role="status" data-testid="from-recommendation">
              This request acts on a cost recommendation: once submitted, the recommendation shows its progress until it
              is applied.
            </div>
          )}
          <RequestForm
            teams={teams}
            clusters={clusters}
            initialKind={kind}
            initialInput={initialInput(kind, draft)}
            initialTeamId={initialTeamId(teams, params.team)}
            recommendationId={recommendationId}
            priceLists={priceLists}
          />
        </>
      )}
    </>
  );
}
