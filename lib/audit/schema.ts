// Responses of the audit routes (route() holds each handler to its schema; the OpenAPI document reads it).
import { z } from "zod";

export const auditListResponse = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      at: z.date(),
      action: z.string(),
      outcome: z.string(),
      actorId: z.string().nullable(),
      actorEmail: z.string().nullable(),
      targetType: z.string(),
      targetId: z.string().nullable(),
      traceId: z.string().nullable(),
      details: z.unknown(),
    }),
  ),
  total: z.number().int(),
  pageSize: z.number().int(),
});
