// Tiny HCL literal writers: enough for the Terraform the engine emits, with strings always quoted and escaped.
export function hclString(value: string): string {
  // HCL would interpolate ${...} and %{...} inside a quoted string; doubling the sigil makes them literal.
  return JSON.stringify(value).replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

/** A string that is an HCL expression (var.x, "${...}") and must not be escaped. */
export function hclRaw(expression: string): { raw: string } {
  return { raw: expression };
}

export type HclValue = string | number | boolean | { raw: string } | HclValue[] | { [key: string]: HclValue };

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

/** `variable` blocks of type string, one a name, each defaulting to the value given, separated by blank lines. */
export function hclStringVariables(defaults: Record<string, string>): string {
  return Object.entries(defaults)
    .map(([name, value]) => `variable ${hclString(name)} {\n  type    = string\n  default = ${hclString(value)}\n}\n`)
    .join("\n");
}

const singleLineAttribute = /^(\s*)("[^"]*"|[A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$/;

/**
 * Aligns the `=` of consecutive single-line attributes at the same indentation, as `terraform fmt` does, so the
 * files a user downloads pass `terraform fmt -check`. A multi-line value (`x = {`), a blank line, a comment or a
 * change of indentation ends a group.
 */
export function alignHclAttributes(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let group: { indent: string; key: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(0, ...group.map((g) => g.key.length));
    for (const g of group) out.push(`${g.indent}${g.key.padEnd(width)} = ${g.value}`);
    group = [];
  };
  for (const line of lines) {
    const match = singleLineAttribute.exec(line);
    const opensBlock = match && /[{[(]$/.test(match[3]!.trim()) && !/^\{.*\}$|^\[.*\]$/.test(match[3]!.trim());
    if (!match || opensBlock) {
      flush();
      out.push(match ? `${match[1]}${match[2]} = ${match[3]}` : line);
      continue;
    }
    if (group.length && group[0]!.indent !== match[1]) flush();
    group.push({ indent: match[1]!, key: match[2]!, value: match[3]! });
  }
  flush();
  return out.join("\n");
}

export function formatHclFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, name.endsWith(".tf") ? alignHclAttributes(text) : text]),
  );
}
