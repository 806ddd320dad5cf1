import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { infrastructureTasks } from "./schema";

type Any = Record<string, any>;

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument() as Any;
  const input = doc.components.schemas.PlanInput;

  it("describes POST /api/v1/plans with the 422 error shape", () => {
    const post = doc.paths["/api/v1/plans"].post;
    expect(post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/PlanInput");
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["200", "422"]));
    expect(doc.openapi).toBe("3.1.0");
  });

  it("is generated from the zod schema: enums, defaults, bounds and required fields", () => {
    expect(input.required).toEqual(["infrastructure_task"]);
    expect(input.properties.infrastructure_task.enum).toEqual([...infrastructureTasks]);
    const scale = input.properties.scale_requirements.properties;
    expect(scale.min_replicas).toMatchObject({ type: "integer", minimum: 0, default: 1 });
    expect(scale.target_gpu_utilization).toMatchObject({ default: 0.8, maximum: 1 });
    expect(input.properties.cluster_name.pattern).toBe("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    expect(input.properties.namespaces.properties.inference.default).toBe("ml-inference");
  });
});
