import { buildOpenApiDocument } from "@/lib/plans/openapi";

// GET /api/v1/openapi.json: the API description, generated from the zod schemas.
export function GET() {
  return Response.json(buildOpenApiDocument());
}
