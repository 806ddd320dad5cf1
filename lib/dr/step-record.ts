// What the runner stores per step (DrillStepResult.output) and the shapes the verdict and reports read back.
// Times are ISO strings inside output JSON; the row's startedAt/finishedAt are Dates.
export type StepState =
  "pending" | "running" | "waiting_for_operator" | "succeeded" | "failed" | "skipped" | "rolled_back";

export interface BackupEvidence {
  name: string;
  namespace: string;
  phase: string;
  /** metadata.creationTimestamp (on a cluster that synced the backup, the sync time). */
  createdAt: string;
  /** status.startTimestamp: when the data was taken. */
  startedAt?: string | null;
  /** The recovery point and the field it was read from (startTimestamp, creationTimestamp only when absent). */
  recoveryPointAt?: string;
  recoveryPointSource?: "status.startTimestamp" | "metadata.creationTimestamp";
  /** Made by this drill: never a recovery point of the incident. */
  createdInRun?: boolean;
  /** The Velero Schedule that made it (label velero.io/schedule-name). */
  scheduleName?: string;
  /**
   * That schedule's previous Completed backup: what an incident just before this backup would have restored, so the
   * gap between the two starts is the worst-case RPO the schedule allows.
   */
  previousBackup?: { name: string; startedAt: string };
  completedAt?: string | null;
  errors: number;
  warnings: number;
  storageLocation?: string | null;
  itemsBackedUp?: number | null;
  volumeSnapshotsAttempted?: number;
  volumeSnapshotsCompleted?: number;
  snapshotVolumes?: boolean;
  defaultVolumesToFsBackup?: boolean;
}

export interface RestoreEvidence {
  name: string;
  namespace: string;
  backupName: string;
  backupCreatedAt?: string | null;
  /** The restored backup's recovery point (status.startTimestamp, else creationTimestamp) and its source. */
  backupRecoveryPointAt?: string | null;
  backupRecoveryPointSource?: "status.startTimestamp" | "metadata.creationTimestamp";
  /** The restored backup was made by this drill (it carries the canary; it is no recovery point). */
  backupCreatedInRun?: boolean;
  phase: string;
  errors: number;
  warnings: number;
  failureReason?: string | null;
  namespaceMapping?: Record<string, string>;
  existingResourcePolicy?: "none" | "update";
  /** status.progress.itemsRestored / totalItems. */
  itemsRestored?: number | null;
  totalItems?: number | null;
  itemOperationsFailed?: number;
  /** The cluster the restore ran on. */
  cluster?: string;
}

/** The failure a drill injected: the failure instant RTO and RPO are measured from. */
export interface FailureEvidence {
  kind: "delete_namespace" | "scale_to_zero" | "corrupt_model";
  namespace: string;
  deployment?: string;
  cluster?: string;
  /** When the destructive call was made: the failure instant. */
  injectedAt: string;
  /** When the drill saw the failure in effect (namespace gone, no pod, corrupt image rolled out). */
  confirmedAt?: string;
  /** What was seen to confirm it. */
  observed?: string;
  /** Before the injection: replicas (scale_to_zero) or the pod template (corrupt_model), to put back. */
  previousReplicas?: number;
  previousImage?: string;
  /** corrupt_model: the image rolled out as the corrupt model. */
  image?: string;
  container?: string;
  /** corrupt_model: the Deployment's revision before the corrupt one. */
  previousRevision?: number;
}

export interface CanaryEvidence {
  namespace: string;
  name: string;
  /** sha256 of the canary's data, keys sorted. */
  checksum: string;
  writtenAt: string;
  /** The canary file written into a volume, and the sha256 the writing Job reported. */
  volume?: { claim: string; file: string; sha256: string; job: string };
}

export interface CanaryCheckEvidence {
  /** Where the canary was read after the restore (the mapped namespace if any). */
  namespace: string;
  name: string;
  expectedChecksum: string;
  foundChecksum: string | null;
  /** Restored by Velero (velero.io/restore-name label), not left over. */
  restoredBy: string | null;
  /** The canary's metadata.creationTimestamp where it was read: after the failure when the restore re-created it. */
  createdAt?: string | null;
  match: boolean;
  /** The canary file read back from the restored volume by a Job. */
  volume?: {
    claim: string;
    file: string;
    expectedSha256: string;
    foundSha256: string | null;
    job: string;
    match: boolean;
  };
}

/** The in-cluster model probe: answers to the golden requests (HTTP status and sha256 of each body). */
export interface ProbeEvidence {
  url: string;
  namespace: string;
  cluster: string;
  golden: "record" | "verify";
  job: string;
  attempts: number;
  results: Array<{ status: number; sha256: string }>;
  /** verify: per request, whether the answer equals the recorded one. */
  matches?: boolean[];
  recordedAt?: string;
  /** verify: when every answer first matched (the end of RTO). */
  passedAt?: string;
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

/** What a cleanup step removed from its cluster. */
export interface CleanupEvidence {
  cluster: string;
  removed: string[];
  /** Objects this run's restore created on a recovery cluster, removed so it stops serving the drill's copy. */
  restored?: { restore: string; removed: string[] };
}

/** What a roll-forward put back: the Deployment's revision, image and replicas before and after. */
export interface RollForwardEvidence {
  deployment: string;
  namespace: string;
  /** What it restored from: the failure injected, a scale, or a rollout undo of this drill. */
  undoing: string;
  before: DeploymentState;
  after: DeploymentState;
}

export interface DeploymentState {
  revision: number;
  images: string[];
  replicas: number;
}

export interface ActionOutput {
  backup?: BackupEvidence;
  restore?: RestoreEvidence;
  health?: HealthEvidence;
  rollout?: RolloutEvidence;
  failure?: FailureEvidence;
  canary?: CanaryEvidence;
  canaryCheck?: CanaryCheckEvidence;
  probe?: ProbeEvidence;
  scale?: { deployment: string; namespace: string; previousReplicas: number; replicas: number };
  pods?: {
    namespace: string;
    selector: string;
    ready: number;
    total: number;
    names: string[];
    expected?: number;
    expectedFrom?: string;
    createdAfter?: string;
    /** Pods running this (corrupt) image were not counted. */
    withoutImage?: string;
  };
  condition?: {
    kind: string;
    name: string;
    condition: string;
    status: string | null;
    reason?: string;
    message?: string;
  };
  manual?: { instruction: string; command?: string; confirmedBy?: string; confirmedAt?: string; note?: string };
  cleanup?: CleanupEvidence;
  rollForward?: RollForwardEvidence;
  /**
   * Dry runs: the revision a corrupt-model injection would roll out, so later steps of the same dry run (an undo)
   * describe what the live run will do rather than what the untouched cluster suggests.
   */
  wouldRollOut?: { namespace: string; deployment: string; revision: number; previousRevision: number };
  /** Progress notes while the step runs ("restore InProgress"). */
  progress?: string;
}

export interface StepOutput extends ActionOutput {
  validation?: ActionOutput & { state: "succeeded" | "failed"; error?: string };
  /** "running" while it runs: a manual rollback shows its instruction to the operator it waits for. */
  rollback?: ActionOutput & { state: "running" | "succeeded" | "failed"; error?: string };
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
