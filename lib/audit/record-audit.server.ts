import "server-only";
import type { Db, Tx } from "@/lib/db/prisma.server";
import { toJsonValue } from "@/lib/db/json-value";

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  actor: AuditActor | null;
  /** Verb-noun in dotted form: "request.approve", "page.access", "drill.abort". */
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome: "success" | "denied" | "failure";
  traceId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit event. Pass the transaction client so that the event commits with the change it records. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome,
      traceId: entry.traceId ?? null,
      details: toJsonValue(entry.details ?? {}),
    },
  });
}
