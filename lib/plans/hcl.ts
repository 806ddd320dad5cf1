// Tiny HCL literal writers: enough for the Terraform the engine emits, with strings always quoted and escaped.
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, "$${");
}

/** A string that is an HCL expression (var.x, "${...}") and must not be escaped. */
export function hclRaw(expression: string): { raw: string } {
  return { raw: expression };
}

type HclValue = string | number | boolean | { raw: string } | HclValue[] | { [key: string]: HclValue };

export function hclValue(value: HclValue, indent = 0): string {
  const pad = "  ".repeat(indent + 1);
  const end = "  ".repeat(indent);
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length ? `[${value.map((v) => hclValue(v, indent)).join(", ")}]` : "[]";
  if ("raw" in value && typeof value.raw === "string") return value.raw;
  const entries = Object.entries(value as Record<string, HclValue>);
  if (!entries.length) return "{}";
  const keyOf = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k));
  return `{\n${entries.map(([k, v]) => `${pad}${keyOf(k)} = ${hclValue(v, indent + 1)}`).join("\n")}\n${end}}`;
}
