// TEST ONLY: validates objects against the official CRDs in ../shared/schemas/crds (openAPIV3Schema of the
// served version) with ajv, and built-in kinds with kubernetes-models. The engine never loads these CRDs.
import Ajv, { type ValidateFunction } from "ajv";
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubernetesObject } from "@/lib/k8s/types";

export const repoRoot = path.resolve(__dirname, "../..");
export const sharedDir = path.resolve(repoRoot, "..", "shared");

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema?: { openAPIV3Schema: object } }[];
  };
}

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
};

/**
 * Fields the API server would silently prune: not declared in the structural schema. JSON Schema validation
 * passes them (CRDs do not set additionalProperties: false), so a typo like `consolidateafter` needs this walk.
 */
export function prunedFields(value: unknown, schema: Schema, at = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => prunedFields(v, schema.items!, `${at}[${i}]`)) : [];
  if (!value || typeof value !== "object") return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const declared =
      schema.properties?.[key] ??
      (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (declared) out.push(...prunedFields(child, declared, `${at}.${key}`));
    else if (schema.properties && !schema.additionalProperties) out.push(`${at}.${key}`);
  }
  return out;
}

const crdSchemas = new Map<string, Schema>();

export function loadOfficialCrdValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  const dir = path.join(sharedDir, "schemas", "crds");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
      const crd = doc.toJS() as Crd | null;
      if (!crd?.spec?.versions) continue;
      for (const version of crd.spec.versions) {
        if (!version.served || !version.schema) continue;
        const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
        validators.set(key, ajv.compile(version.schema.openAPIV3Schema));
        crdSchemas.set(key, version.schema.openAPIV3Schema as Schema);
      }
    }
  }
  return validators;
}

const builtInModules: Record<string, string> = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
  "external-secrets.io/v1": "@kubernetes-models/external-secrets/external-secrets.io/v1",
};

/** Errors of one object: official CRD when one exists, else the model package; an object neither covers is an error. */
export async function officialErrors(object: KubernetesObject, crds: Map<string, ValidateFunction>): Promise<string[]> {
  const id = `${object.kind}/${object.metadata.name}`;
  const crd = crds.get(`${object.apiVersion}/${object.kind}`);
  if (crd) {
    const schemaErrors = crd(object) ? [] : (crd.errors ?? []).map((e) => `${id} ${e.instancePath}: ${e.message}`);
    const pruned = prunedFields(object, crdSchemas.get(`${object.apiVersion}/${object.kind}`)!).filter(
      (p) => !p.startsWith(".metadata."),
    );
    return [...schemaErrors, ...pruned.map((p) => `${id} ${p}: not in the CRD schema (the API server would drop it)`)];
  }
  const modulePath = builtInModules[object.apiVersion];
  if (!modulePath) return [`${id}: no official schema for ${object.apiVersion}`];
  const module = (await import(/* @vite-ignore */ modulePath)) as Record<
    string,
    new (o: object) => { validate(): void }
  >;
  const Model = module[object.kind];
  if (!Model) return [`${id}: no model for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${id}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
