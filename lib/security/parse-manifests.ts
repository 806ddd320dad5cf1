// Parses a user-supplied multi-document YAML stream into Kubernetes objects, with hard bounds so that hostile
// input (huge files, alias bombs, thousands of documents, deep nesting) fails fast with a message, never a crash.
import { Composer, LineCounter, Parser, type Document } from "yaml";
import type { KubernetesObject } from "@/lib/k8s/types";
import { asArray, asRecord } from "./pod-specs";

export interface ParseLimits {
  /** Maximum input size in UTF-8 bytes. Default 1 MiB (1,048,576). */
  maxBytes: number;
  /** Maximum number of YAML documents in the stream (empty ones included). Default 200. */
  maxDocuments: number;
  /** Maximum nesting of flow collections ([ and {); yaml composes them recursively. Default 100. */
  maxFlowDepth: number;
  /** yaml's maxAliasCount: alias expansions allowed per document before it counts as an alias bomb. Default 100. */
  maxAliasCount: number;
}

export const defaultParseLimits: ParseLimits = {
  maxBytes: 1024 * 1024,
  maxDocuments: 200,
  maxFlowDepth: 100,
  maxAliasCount: 100,
};

// Enough to explain what is wrong without echoing a whole hostile file back.
const maxReportedErrors = 20;

export interface ManifestParseError {
  /** 1-based number of the YAML document in the stream, as editors count; 0 means the whole input. */
  document: number;
  /** Field path inside the document ("" for the document itself), e.g. "metadata.name". */
  path: string;
  message: string;
}

export type ParseManifestsResult =
  { ok: true; objects: KubernetesObject[] } | { ok: false; errors: ManifestParseError[] };

export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

export function parseManifestsYaml(text: string, limits: Partial<ParseLimits> = {}): ParseManifestsResult {
  const bounds: ParseLimits = { ...defaultParseLimits, ...limits };
  // Each UTF-16 unit is at least one UTF-8 byte, so the cheap length check rejects most oversize input unread.
  if (text.length > bounds.maxBytes || utf8ByteLength(text) > bounds.maxBytes) {
    return failure(0, "", `input is larger than ${bounds.maxBytes} bytes: split it into smaller files`);
  }
  const depth = flowNestingDepth(text, bounds.maxFlowDepth);
  if (depth.exceeded) {
    return failure(
      0,
      "",
      `YAML nests [ or { more than ${bounds.maxFlowDepth} levels deep (line ${depth.line}): flatten the structure`,
    );
  }
  const errors: ManifestParseError[] = [];
  const objects: KubernetesObject[] = [];
  const lineCounter = new LineCounter();
  // YAML 1.1 because that is what kubectl reads (yes/no/on/off are booleans): `privileged: yes` must count.
  const composer = new Composer({ version: "1.1", uniqueKeys: true, prettyErrors: false });
  const parser = new Parser(lineCounter.addNewLine);
  let documentNumber = 0;
  try {
    for (const document of composer.compose(parser.parse(text), true, text.length)) {
      documentNumber += 1;
      if (documentNumber > bounds.maxDocuments) {
        return failure(0, "", `input has more than ${bounds.maxDocuments} YAML documents: split it into smaller files`);
      }
      const value = readDocument(document, documentNumber, lineCounter, bounds, errors);
      // Empty and comment-only documents are skipped, as kubectl does.
      if (value !== undefined && value !== null) collectObjects(value, documentNumber, "", objects, errors);
      if (errors.length >= maxReportedErrors) break;
    }
  } catch (error) {
    // Stack exhaustion from pathological nesting, or a parser bug: report it as bad input, not a crash.
    return failure(
      documentNumber + 1,
      "",
      `YAML could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, maxReportedErrors) };
  if (objects.length === 0)
    return failure(
      0,
      "",
      "input contains no Kubernetes objects: expected YAML documents with apiVersion, kind and metadata.name",
    );
  return { ok: true, objects };
}

function readDocument(
  document: Document.Parsed,
  number: number,
  lineCounter: LineCounter,
  bounds: ParseLimits,
  errors: ManifestParseError[],
): unknown {
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      errors.push({
        document: number,
        path: "",
        message: `YAML syntax error at line ${line}, column ${col}: ${error.message}`,
      });
    }
    return undefined;
  }
  try {
    return document.toJS({ maxAliasCount: bounds.maxAliasCount });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = /alias/i.test(reason)
      ? `too many alias expansions (more than ${bounds.maxAliasCount}): YAML anchors/aliases that multiply content are rejected; write the content out`
      : `YAML could not be converted: ${reason}`;
    errors.push({ document: number, path: "", message });
    return undefined;
  }
}

function collectObjects(
  value: unknown,
  document: number,
  prefix: string,
  objects: KubernetesObject[],
  errors: ManifestParseError[],
): void {
  const record = asRecord(value);
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  if (!record) {
    const what = Array.isArray(value) ? "a list" : `a ${value === null ? "null" : typeof value}`;
    errors.push({
      document,
      path: prefix,
      message: `expected a Kubernetes object (a mapping with apiVersion, kind, metadata), found ${what}`,
    });
    return;
  }
  // `kubectl get -o yaml` wraps several objects in a List.
  if (record.kind === "List" && Array.isArray(record.items)) {
    asArray(record.items).forEach((item, index) =>
      collectObjects(item, document, at(`items[${index}]`), objects, errors),
    );
    return;
  }
  let valid = true;
  for (const field of ["apiVersion", "kind"] as const) {
    if (typeof record[field] !== "string" || record[field] === "") {
      errors.push({
        document,
        path: at(field),
        message: `${field} is missing or not a string: every object needs apiVersion and kind (e.g. apps/v1, Deployment)`,
      });
      valid = false;
    }
  }
  const metadata = asRecord(record.metadata);
  if (!metadata || typeof metadata.name !== "string" || metadata.name === "") {
    errors.push({
      document,
      path: at("metadata.name"),
      message: "metadata.name is missing or not a string: give the object a name",
    });
    valid = false;
  } else if (metadata.namespace !== undefined && typeof metadata.namespace !== "string") {
    errors.push({ document, path: at("metadata.namespace"), message: "metadata.namespace must be a string" });
    valid = false;
  }
  if (valid) objects.push(record as KubernetesObject);
}

/**
 * Deepest nesting of flow brackets outside quotes and comments; stops at the first line over the limit.
 * Approximate on purpose (block scalars are scanned too): it only has to stop pathological input early.
 */
export function flowNestingDepth(text: string, limit: number): { exceeded: boolean; line: number } {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  let comment = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    // Quotes end at the line end here: a stray apostrophe in plain text must not hide the rest of the file.
    if (char === "\n") {
      line += 1;
      comment = false;
      quote = undefined;
      continue;
    }
    if (comment) continue;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (index === 0 || /\s/.test(text[index - 1]!))) comment = true;
    else if (char === "[" || char === "{") {
      depth += 1;
      if (depth > limit) return { exceeded: true, line };
    } else if ((char === "]" || char === "}") && depth > 0) depth -= 1;
  }
  return { exceeded: false, line };
}

function failure(document: number, path: string, message: string): ParseManifestsResult {
  return { ok: false, errors: [{ document, path, message }] };
}
