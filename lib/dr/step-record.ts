// What the runner stores per step (DrillStepResult.output) and the shapes the verdict and reports read back.
// Times are ISO strings inside output JSON; the row's startedAt/finishedAt are Dates.
export type StepState = "pending" | "running" | "waiting_for_operator" | "succeeded" | "failed" | "skipped" | "rolled_back";

export interface BackupEvidence {
  name: string;
  namespace: string;
  phase: string;
  createdAt: string;
  completedAt?: string | null;
  errors: number;
  warnings: number;
}

export interface RestoreEvidence {
  name: string;
  namespace: string;
  backupName: string;
  backupCreatedAt?: string | null;
  phase: string;
  errors: number;
  warnings: number;
  failureReason?: string | null;
  namespaceMapping?: Record<string, string>;
}

export interface HealthEvidence {
  url: string;
  status: number | null;
  attempts: number;
  passedAt?: string | null;
  latencyMs?: number;
  lastError?: string;
}

export interface RolloutEvidence {
  deployment: string;
  namespace: string;
  fromRevision: number;
  toRevision: number;
  targetReplicaSet: string;
  targetCreatedAt?: string | null;
}

export interface ActionOutput {
  backup?: BackupEvidence;
  restore?: RestoreEvidence;
  health?: HealthEvidence;
  rollout?: RolloutEvidence;
  scale?: { deployment: string; namespace: string; previousReplicas: number; replicas: number };
  pods?: { namespace: string; selector: string; ready: number; total: number; names: string[] };
  condition?: { kind: string; name: string; condition: string; status: string | null; reason?: string; message?: string };
  manual?: { instruction: string; command?: string; confirmedBy?: string; confirmedAt?: string; note?: string };
  /** Progress notes while the step runs ("restore InProgress"). */
  progress?: string;
}

export interface StepOutput extends ActionOutput {
  validation?: ActionOutput & { state: "succeeded" | "failed"; error?: string };
  rollback?: ActionOutput & { state: "succeeded" | "failed"; error?: string };
  /** Dry runs: what the step would do, and what the read-only preflight found. */
  dryRun?: { wouldDo: string; preflight?: string; ok: boolean };
  timedOut?: boolean;
}

export interface StepRecord {
  index: number;
  name: string;
  type: string;
  state: StepState;
  startedAt: Date | null;
  finishedAt: Date | null;
  output: StepOutput;
  error: string | null;
}
