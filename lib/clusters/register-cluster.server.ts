import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/authorize.server";
import { conflict, unprocessable } from "@/lib/errors/domain-error";
import { isSameApiServer } from "@/lib/k8s/cluster-target";
import { credentialServer } from "@/lib/k8s/create-client.server";
import { Prisma } from "@/lib/generated/prisma/client";
import type { clusterTargetSchema } from "./schema";
import { kubeconfigOfServer } from "./cluster-client.server";

/**
 * The API server a new target is stored with: the one its credentials belong to. An apiServer given in the input
 * must name that same server, so credentials can never be pointed at another address.
 */
function serverOfNewTarget(input: z.output<typeof clusterTargetSchema>): string {
  const resolved = credentialServer(input.credentialRef, kubeconfigOfServer());
  if (!resolved.ok)
    throw unprocessable(`credentialRef: ${resolved.message}`, [{ path: "credentialRef", message: resolved.message }]);
  if (input.apiServer !== undefined && !isSameApiServer(input.apiServer, resolved.server)) {
    const message = `apiServer ${input.apiServer} is not the server of the credentials in ${input.credentialRef}, and credentials are only sent to their own server: leave apiServer out (it is taken from the context) or give the context's server`;
    throw unprocessable(message, [{ path: "apiServer", message }]);
  }
  return resolved.server;
}

/** Registers a cluster target. Only a reference to credentials is stored: they stay in the server's configuration. */
export async function registerCluster({
  actor,
  input,
  traceId,
}: {
  actor: PortalUser;
  input: z.output<typeof clusterTargetSchema>;
  traceId?: string;
}) {
  await authorize(actor, "cluster.manage", {}, traceId);
  const apiServer = serverOfNewTarget(input);
  try {
    return await getPrisma().$transaction(async (tx) => {
      const created = await tx.clusterTarget.create({
        data: {
          name: input.name,
          apiServer,
          credentialRef: input.credentialRef,
          protectedNamespaces: input.protectedNamespaces,
        },
      });
      await recordAudit(tx, {
        actor,
        action: "cluster.register",
        targetType: "cluster",
        targetId: created.id,
        outcome: "success",
        traceId,
        details: { name: input.name, apiServer, credentialRef: input.credentialRef },
      });
      return { id: created.id, name: created.name, apiServer };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw conflict(`a cluster named "${input.name}" is already registered: pick another name`);
    throw error;
  }
}
