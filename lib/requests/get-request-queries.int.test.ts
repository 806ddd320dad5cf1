// The request page's reads against a real PostgreSQL: a fixed number of statements however many runs and results the
// request has (no read per run or per object), so the page's server time does not grow with the request's history.
import { afterAll, beforeAll, expect, it } from "vitest";
import { countQueries } from "@/test-support/count-queries";
import {
  configMaps,
  insertApprovedRequest,
  startRequestWorld,
  type RequestWorld,
} from "@/test-support/request-fixtures";
import { getPrisma } from "@/lib/db/prisma.server";
import { handleRequestApply } from "./apply-request-job.server";
import { getRequestDetail } from "./get-request.server";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

/** An applied request of `objects` ConfigMaps in `namespace` with `extraRuns` more apply runs (re-applies) after the first. */
async function appliedRequest(objects: number, extraRuns: number, namespace: string) {
  const { requestId, runId } = await insertApprovedRequest(world, configMaps(objects, namespace));
  await handleRequestApply({ applyRunId: runId }, ctx);
  for (let i = 0; i < extraRuns; i++) {
    const run = await getPrisma().applyRun.create({ data: { requestId, fieldManager: "ml-portal" } });
    await handleRequestApply({ applyRunId: run.id }, ctx);
  }
  return requestId;
}

it("reads a request for its page in a fixed number of statements, whatever its history", async () => {
  const engineer = await world.user("engineer@demo.local");
  const small = await appliedRequest(1, 0, "ml-training");
  const large = await appliedRequest(6, 3, "ml-inference");
  const readSmall = await countQueries(() => getRequestDetail({ actor: engineer, id: small }));
  const readLarge = await countQueries(() => getRequestDetail({ actor: engineer, id: large }));
  expect(readSmall.result?.status).toBe("applied");
  expect(readLarge.result?.applyRuns).toHaveLength(4);
  expect(readLarge.result?.createdObjects).toHaveLength(6);
  const shapes = (queries: string[]) => queries.map((q) => q.replace(/\s+/g, " ").slice(0, 60)).sort();
  expect(shapes(readLarge.queries)).toEqual(shapes(readSmall.queries));
  expect(readLarge.queries.length).toBeLessThanOrEqual(17);
});
