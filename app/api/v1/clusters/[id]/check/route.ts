import { clusterCheckResponse, clusterIdParams } from "@/lib/clusters/schema";
import { route } from "@/lib/http/route.server";
import { checkCluster } from "@/lib/clusters/check-cluster.server";

// POST /api/v1/clusters/{id}/check (platform admins): is the API reachable, are the credentials accepted, what GPU
// quota is left. An admin action: it makes the server use the cluster's credentials.
export const POST = route(
  { action: "cluster.manage", response: clusterCheckResponse, params: clusterIdParams },
  ({ user, params, traceId }) => checkCluster({ actor: user, clusterId: params.id, traceId }),
);
