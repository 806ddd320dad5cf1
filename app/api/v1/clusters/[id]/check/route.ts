import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { checkCluster } from "@/lib/clusters/register-cluster.server";

// POST /api/v1/clusters/{id}/check: is the API reachable, are the credentials accepted, what GPU quota is left
// (platform admins: the check sends the cluster's credentials).
export const POST = route({ action: "cluster.manage", params: z.object({ id: z.string().min(1).max(64) }) }, ({ params }) => checkCluster(params.id));
