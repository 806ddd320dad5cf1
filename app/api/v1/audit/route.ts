import { auditListResponse } from "@/lib/audit/schema";
import { route } from "@/lib/http/route.server";
import { auditQuerySchema, listAuditEvents } from "@/lib/audit/list-audit-events.server";

// GET /api/v1/audit?action=&outcome=&actor=&page=: audit events, newest first (platform admins).
export const GET = route(
  { action: "audit.read", response: auditListResponse, query: auditQuerySchema },
  async ({ query }) => listAuditEvents(query),
);
