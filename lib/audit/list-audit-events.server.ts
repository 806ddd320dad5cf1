import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db/prisma.server";

// The audit page's filter form submits every field, so an untouched one arrives as "" (outcome "Any"): that means
// "no filter", not an invalid query that would drop the other filters too.
const optionalFilter = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const auditQuerySchema = z.object({
  action: optionalFilter(z.string().max(100)),
  outcome: optionalFilter(z.enum(["success", "denied", "failure"])),
  actor: optionalFilter(z.string().max(200)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditEvents(query: AuditQuery) {
  const where = {
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.actor ? { actorEmail: { contains: query.actor.toLowerCase() } } : {}),
  };
  const db = getPrisma();
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (query.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
    }),
    db.auditEvent.count({ where }),
  ]);
  return { events: events.map((e) => ({ ...e, id: e.id.toString() })), total, pageSize: AUDIT_PAGE_SIZE };
}
