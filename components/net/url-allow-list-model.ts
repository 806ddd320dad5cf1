// Pure helpers of the URL allow-list form: the textarea (one entry per line) to the API body and back, and the
// API's or the schema's entry errors on the line they came from. Browser-safe: no I/O.
import { fieldErrorsFromIssues, type FieldError } from "@/lib/errors/domain-error";
import { urlAllowListSchema, type UrlAllowList } from "@/lib/net/schema";

/** One entry per line; blank lines, surrounding spaces and repeats are dropped. */
export function entriesFromText(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}

export function textFromEntries(entries: readonly string[]): string {
  return entries.join("\n");
}

/** For each entry entriesFromText returns, the textarea line (from 1) it was first typed on. */
function entryLines(text: string): number[] {
  const first = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.trim();
    if (entry && !first.has(entry)) first.set(entry, i + 1);
  });
  return entriesFromText(text).map((entry) => first.get(entry)!);
}

/**
 * Errors ("entries.3", "body.entries.3", "entries") as messages naming the textarea line of the entry they are
 * about ("Line 4: …"), in the order of the lines.
 */
export function lineErrors(fields: readonly FieldError[], text: string): string[] {
  const lines = entryLines(text);
  const out: string[] = [];
  for (const f of fields) {
    const [head, index] = f.path.replace(/^body\./, "").split(".");
    if (head !== "entries") continue;
    const line = index !== undefined && /^\d+$/.test(index) ? lines[Number(index)] : undefined;
    const message = line !== undefined ? `Line ${line}: ${f.message}` : f.message;
    if (!out.includes(message)) out.push(message);
  }
  return out;
}

/** The body for PUT /api/v1/settings/url-allow-list, checked with the API's own schema; or one message per bad line. */
export function allowListFromText(text: string): { ok: true; list: UrlAllowList } | { ok: false; errors: string[] } {
  const parsed = urlAllowListSchema.safeParse({ entries: entriesFromText(text) });
  if (parsed.success) return { ok: true, list: parsed.data };
  return { ok: false, errors: lineErrors(fieldErrorsFromIssues(parsed.error.issues), text) };
}
