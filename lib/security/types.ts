// Types of the security report shared by the checker, the plan engine, the API and the UI.
export const severities = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof severities)[number];

/** The identity of the object a finding is about, as a person would name it in kubectl. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SecurityFinding {
  /** Stable id of the check, e.g. "pss.privileged" or "rbac.wildcard-verbs". */
  check: string;
  severity: Severity;
  object: ObjectRef;
  /** Field path inside the object, e.g. "spec.template.spec.containers[0].securityContext.privileged". */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** Why it matters. */
  why: string;
  /** How to fix it. */
  fix: string;
}

export interface SecurityReport {
  /** 0 (dreadful) to 100 (no findings). */
  score: number;
  counts: Record<Severity, number>;
  findings: SecurityFinding[];
}
