// Input no schema of ours can mean, refused once for every route before any schema or database sees it.
// PostgreSQL refuses U+0000 in text and jsonb, and a lone UTF-16 surrogate cannot be encoded as UTF-8: either one
// reaching a query is an error from the database, so it is refused here naming the field instead. Whole numbers
// (ids, versions, page numbers, cursors) are looked up in int4 columns: beyond int4 they are a database error.
import type { FieldError } from "@/lib/errors/domain-error";

export const INT4_MAX = 2 ** 31 - 1;
export const INT4_MIN = -(2 ** 31);
/** Deeper than any input of ours; parsing deeper structures only costs stack. */
export const MAX_JSON_DEPTH = 64;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (U+0000): remove it";
  if (loneSurrogate.test(text)) return "contains a lone UTF-16 surrogate (not valid Unicode): send well-formed text";
  return null;
}

/** A readable path segment for a key that may itself be hostile. */
function segment(key: string | number): string {
  return typeof key === "number" ? String(key) : JSON.stringify(key).slice(1, -1);
}

/**
 * The first unstorable string (value or object key) in a decoded JSON body or a map of URL parts, with its field path
 * ("input.labels.team", as zod's field errors name them; "" for the value itself), and structures nested deeper than
 * MAX_JSON_DEPTH. `part` ("body", "query") only words the message. Iterative, so a 10 000-deep body cannot exhaust
 * the stack.
 */
export function findUnstorableInput(value: unknown, part: string): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    const name = path ? `${part}.${path}` : part;
    if (typeof current === "string") {
      const reason = unstorableText(current);
      if (reason) return { path, message: `${name} ${reason}` };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (depth >= MAX_JSON_DEPTH)
      return { path, message: `${name} is nested more than ${MAX_JSON_DEPTH} levels deep: send a flatter document` };
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((v, i) => [i, v])
      : Object.entries(current);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${segment(key)}` : segment(key);
      if (typeof key === "string") {
        const reason = unstorableText(key);
        if (reason) return { path: childPath, message: `a key of ${name} (${segment(key)}) ${reason}` };
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

interface SchemaNode {
  _zod?: { def: Record<string, unknown> & { type: string } };
  isInt?: boolean;
  maxValue?: number;
  minValue?: number;
  safeParse?: (value: unknown) => { success: boolean };
}

/**
 * The first value beyond int4 in `value` (as sent) at an integer field of `schema` that sets no bound of its own
 * past int4: ids, versions, counts and cursors are looked up or stored in int4 columns, and a field that really
 * takes larger whole numbers says so with its own `.max()`. Call it on input the schema accepted.
 */
export function findUnboundedInteger(schema: unknown, value: unknown, path = ""): FieldError | null {
  const node = schema as SchemaNode | undefined;
  const def = node?._zod?.def;
  if (!def || value === undefined || value === null) return null;
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  switch (def.type) {
    case "number": {
      const number = typeof value === "string" && def.coerce ? Number(value) : value;
      if (!node.isInt || typeof number !== "number") return null;
      // .int() alone bounds a field by the safe integers: only a field with its own .max() / .min() opts out.
      const tooBig = number > INT4_MAX && (node.maxValue ?? Infinity) >= Number.MAX_SAFE_INTEGER;
      const tooSmall = number < INT4_MIN && (node.minValue ?? -Infinity) <= Number.MIN_SAFE_INTEGER;
      return tooBig || tooSmall ? { path, message: `must be a whole number from ${INT4_MIN} to ${INT4_MAX}` } : null;
    }
    case "object": {
      if (typeof value !== "object") return null;
      for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) {
        const found = findUnboundedInteger(child, (value as Record<string, unknown>)[key], at(key));
        if (found) return found;
      }
      return null;
    }
    case "array":
      return Array.isArray(value)
        ? firstOf(value.map((item, i) => () => findUnboundedInteger(def.element, item, at(i))))
        : null;
    case "record":
      return typeof value === "object"
        ? firstOf(
            Object.entries(value as object).map(
              ([k, v]) =>
                () =>
                  findUnboundedInteger(def.valueType, v, at(k)),
            ),
          )
        : null;
    case "tuple":
      return Array.isArray(value)
        ? firstOf((def.items as unknown[]).map((item, i) => () => findUnboundedInteger(item, value[i], at(i))))
        : null;
    case "union": {
      // The branch that accepts the value is the one whose fields it has.
      const branch = (def.options as SchemaNode[]).find((option) => option.safeParse?.(value).success);
      return branch ? findUnboundedInteger(branch, value, path) : null;
    }
    case "intersection":
      return findUnboundedInteger(def.left, value, path) ?? findUnboundedInteger(def.right, value, path);
    case "pipe":
      return findUnboundedInteger(def.in, value, path);
    case "lazy":
      return findUnboundedInteger((def.getter as () => unknown)(), value, path);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return findUnboundedInteger(def.innerType, value, path);
    default:
      return null;
  }
}

function firstOf(checks: (() => FieldError | null)[]): FieldError | null {
  for (const check of checks) {
    const found = check();
    if (found) return found;
  }
  return null;
}
