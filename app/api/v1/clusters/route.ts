import { route } from "@/lib/http/route.server";
import { clusterListResponse, clusterTargetSchema, registeredClusterResponse } from "@/lib/clusters/schema";
import { listClusters } from "@/lib/clusters/list-clusters.server";
import { registerCluster } from "@/lib/clusters/register-cluster.server";

// GET /api/v1/clusters: registered cluster targets (never credentials, only their reference).
export const GET = route({ action: "cluster.read", response: clusterListResponse }, ({ user, traceId }) =>
  listClusters({ actor: user, traceId }),
);

// POST /api/v1/clusters: register a cluster target (platform admins).
export const POST = route(
  { action: "cluster.manage", response: registeredClusterResponse, body: clusterTargetSchema, successStatus: 201 },
  async ({ user, body, traceId }) => registerCluster({ actor: user, input: body, traceId }),
);
