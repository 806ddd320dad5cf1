import type { DrillEvidence } from "./drill-verdict";

/** What finishDrill stores in DrillRun.evidence: the evidence plus how each figure was measured. */
export type StoredEvidence = Partial<DrillEvidence> & {
  rtoBasis?: string;
  rpoBasis?: string;
  worstCaseRpoSeconds?: number | null;
  worstCaseRpoBasis?: string;
};
