// What the drills pages hand to their components, typed by the API's response schemas where the API answers the
// same rows. Pure: components import these, never the services.
import type { z } from "zod";
import type { planListResponse } from "./schema";

export type DrillPlanRow = z.output<typeof planListResponse>["plans"][number];

/** A cluster target a drill can be started against, with the namespaces it protects. */
export interface DrillCluster {
  id: string;
  name: string;
  isSandbox: boolean;
  protectedNamespaces: string[];
}
