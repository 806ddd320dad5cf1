// What the revert int tests share: the objects they apply, reading a request's number and status back, whether the
// double still has a Namespace, and "apply this" / "revert it as a person confirms it" through the real job.
import { expect } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { revertRequest } from "@/lib/requests/revert-request.server";
import { deletesShown } from "./revert-confirmation";
import { insertApprovedRequest, type RequestWorld } from "./request-fixtures";

export const jobContext = () => ({ jobId: "test-job", signal: new AbortController().signal });

/** Labelled like a plan's Namespace, so the portal's field manager owns a field of it. */
export const namespaceNamed = (name: string) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
});
export const configMapIn = (namespace: string, name: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data: { owner: name },
});
export const numberOf = async (requestId: string) =>
  (await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).number;
export const statusOf = async (requestId: string) =>
  (await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status;

/** `world` is read when called: the kit is made at module level, before beforeAll starts the world. */
export function revertKit(world: () => RequestWorld) {
  const ctx = jobContext();
  return {
    namespaceExists: (name: string) =>
      world().double.state.get(world().double.state.findByKind("v1", "Namespace")!, undefined, name) !== undefined,
    /** Inserts an approved request of `objects` and runs its apply job; it must end applied unless told otherwise. */
    async applied(
      objects: Parameters<typeof insertApprovedRequest>[1],
      expected: "applied" | "apply_failed" = "applied",
    ) {
      const request = await insertApprovedRequest(world(), objects);
      await handleRequestApply({ applyRunId: request.runId }, ctx);
      expect(await statusOf(request.requestId)).toBe(expected);
      return request;
    },
    /** Confirms what the revert dialog lists (`shownCount` objects to delete), and runs the revert's job. */
    async reverted(requestId: string, shownCount: number) {
      const engineer = await world().user("engineer@demo.local");
      const run = await revertRequest({
        actor: engineer,
        requestId,
        confirmedDeletes: await deletesShown(engineer, requestId, shownCount),
      });
      await handleRequestApply({ applyRunId: run.applyRunId }, ctx);
      return run.applyRunId;
    },
  };
}
