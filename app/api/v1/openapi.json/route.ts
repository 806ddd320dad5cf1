import { buildApiDocument } from "@/lib/http/openapi";
import { documentedRoutes } from "./route-catalog";

// GET /api/v1/openapi.json: the API description, generated from every route's zod schemas.
export function GET() {
  return Response.json(buildApiDocument(documentedRoutes()));
}
