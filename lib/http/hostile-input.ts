// Input no schema of ours can mean, refused once for every route before any schema or database sees it.
// PostgreSQL refuses U+0000 in text and jsonb, and a lone UTF-16 surrogate cannot be encoded as UTF-8: either one
// reaching a query is an error from the database, so it is refused here naming the field instead. Integers from
// the URL (ids, versions, page numbers, cursors) are looked up in int4 columns: beyond int4 they are a database error.
import type { FieldError } from "./errors";

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
    if (depth >= MAX_JSON_DEPTH) return { path, message: `${name} is nested more than ${MAX_JSON_DEPTH} levels deep: send a flatter document` };
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
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

/** The first integer outside int4 in parsed URL parts (query, path params), with its field path; null when all fit. */
export function findIntegerBeyondInt4(value: unknown, path = ""): FieldError | null {
  if (typeof value === "number" || typeof value === "bigint") {
    if ((typeof value === "bigint" || Number.isInteger(value)) && (value > INT4_MAX || value < INT4_MIN)) {
      return { path, message: `must be a whole number from ${INT4_MIN} to ${INT4_MAX}` };
    }
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findIntegerBeyondInt4(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
