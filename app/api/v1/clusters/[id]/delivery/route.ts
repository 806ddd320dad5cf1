import { clusterIdParams } from "@/lib/clusters/schema";
import { route } from "@/lib/http/route.server";
import { clusterDeliveryResponse, deliverySettingsSchema } from "@/lib/gitops/schema";
import { updateClusterDelivery } from "@/lib/clusters/update-cluster-delivery.server";

// PUT /api/v1/clusters/{id}/delivery (platform admins): direct server-side apply, or commits to a Git repository.
export const PUT = route(
  {
    action: "cluster.manage",
    response: clusterDeliveryResponse,
    params: clusterIdParams,
    body: deliverySettingsSchema,
  },
  ({ user, params, body, traceId }) =>
    updateClusterDelivery({ actor: user, clusterId: params.id, input: body, traceId }),
);
