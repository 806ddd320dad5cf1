import { notFound } from "next/navigation";
import { RequestDetailView } from "@/components/requests/request-detail-view";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { DomainError } from "@/lib/errors/domain-error";
import { getRequestDetail } from "@/lib/requests/get-request.server";
import { cachedManifestsYaml } from "@/components/requests/manifests-yaml-cache";
import { requestPageView, type RequestDetail } from "@/lib/requests/request-views";

export const metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage("request.read");
  const { id } = await params;
  let request: RequestDetail | null;
  try {
    request = await getRequestDetail({ actor: user, id });
  } catch (error) {
    // Another team's request is a 404 like an unknown id (the service recorded the denial).
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  }
  if (!request) notFound();
  const ownRequest = can(user, "request.approve") && request.requester.id === user.id;
  return (
    <RequestDetailView
      request={requestPageView(
        request,
        cachedManifestsYaml(`${request.id}:${request.planHash}`, request.plan.deployment_manifests),
      )}
      now={new Date()}
      viewerIsOwnApprover={ownRequest}
      canViewCluster={can(user, "cluster.read")}
    />
  );
}
