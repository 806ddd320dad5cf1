// OpenAPI 3.1 document for POST /api/v1/plans, generated from planInputSchema so the API, the form and the docs
// cannot drift apart. The request body is the schema's *input* side (defaults make most fields optional).
import { z } from "zod";
import { planInputSchema } from "./schema";

const errorList = {
  type: "object",
  required: ["errors"],
  properties: {
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

const planOutput = {
  type: "object",
  required: [
    "infrastructure_config",
    "deployment_manifests",
    "cost_estimate",
    "security_report",
    "viability_report",
    "requires",
    "runbooks",
    "validation",
  ],
  properties: {
    infrastructure_config: {
      type: "object",
      description:
        "Terraform files, cluster plan, autoscaling notes, backup strategy and recovery plans, depending on the task.",
    },
    deployment_manifests: {
      type: "array",
      items: {
        type: "object",
        required: ["apiVersion", "kind", "metadata"],
        properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } },
      },
    },
    cost_estimate: {
      type: "object",
      description:
        "Monthly cost per node pool for minimum, expected and maximum scenarios, GPU-hours and recommendations with savings.",
    },
    security_report: {
      type: "object",
      properties: {
        score: { type: "number" },
        counts: { type: "object" },
        findings: { type: "array", items: { type: "object" } },
      },
    },
    viability_report: {
      type: "object",
      description:
        "Whether the plan would work once applied, in the security report's format; a high or critical finding blocks submission.",
      properties: {
        score: { type: "number" },
        counts: { type: "object" },
        findings: { type: "array", items: { type: "object" } },
      },
    },
    requires: {
      type: "array",
      description:
        "Operators, controllers, exporters and drivers the plan needs, derived from its objects and add-ons: version, who provides it (plan, cloud, cluster, you), the objects that need it and the settings they rely on.",
      items: {
        type: "object",
        required: ["name", "kind", "version", "provided_by", "needed_by", "settings"],
        properties: {
          name: { type: "string" },
          kind: {
            type: "string",
            enum: [
              "operator",
              "controller",
              "exporter",
              "device-plugin",
              "csi-driver",
              "node-software",
              "object-store",
              "plan",
            ],
          },
          version: { type: "string" },
          provided_by: { type: "string", enum: ["plan", "cloud", "cluster", "you"] },
          needed_by: { type: "array", items: { type: "string" } },
          settings: {
            type: "array",
            items: {
              type: "object",
              required: ["key", "value", "why"],
              properties: { key: { type: "string" }, value: { type: "string" }, why: { type: "string" } },
            },
          },
        },
      },
    },
    runbooks: { type: "array", items: { type: "string", description: "Markdown" } },
    validation: {
      type: "object",
      properties: {
        valid: { type: "boolean" },
        checked: { type: "integer" },
        errors: { type: "array", items: { type: "object" } },
      },
    },
  },
};

export function planInputJsonSchema(): Record<string, unknown> {
  // Refinements (min <= max, GPU fit) cannot be expressed in JSON Schema; the server still enforces them.
  return z.toJSONSchema(planInputSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const { $schema: _ignored, ...planInput } = planInputJsonSchema();
  return {
    openapi: "3.1.0",
    info: { title: "ML infrastructure portal API", version: "1.0.0" },
    paths: {
      "/api/v1/plans": {
        post: {
          summary: "Generate an infrastructure plan",
          description:
            "Turns a request into Terraform, validated Kubernetes manifests, a cost estimate, a security report and runbooks. Nothing is applied.",
          security: [{ session: [] }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/PlanInput" } } },
          },
          responses: {
            "200": {
              description: "The plan",
              content: { "application/json": { schema: { $ref: "#/components/schemas/PlanOutput" } } },
            },
            "401": { description: "Not signed in" },
            "413": { description: "Body over 1 MB" },
            "422": {
              description: "Invalid input: each error names the field and the fix",
              content: { "application/json": { schema: { $ref: "#/components/schemas/ValidationErrors" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: { PlanInput: planInput, PlanOutput: planOutput, ValidationErrors: errorList },
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" } },
    },
  };
}
