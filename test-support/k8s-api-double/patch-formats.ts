// Non-apply PATCH bodies: JSON merge patch (RFC 7386), a strategic merge patch good enough for the kinds the
// portal touches (lists of named objects merge by name, "$patch: replace" honoured), and JSON patch (RFC 6902).
import { isPlainObject } from "./field-paths";

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isNamedList(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every((v) => isPlainObject(v) && typeof v.name === "string");
}

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) {
    if (isNamedList(patch) && isNamedList(target)) {
      const merged = target.map((item) => {
        const match = patch.find((p) => p.name === item.name);
        return match ? strategicMergePatch(item, match) : item;
      });
      for (const p of patch) if (!target.some((t) => t.name === p.name)) merged.push(structuredClone(p));
      return merged.filter((item) => (item as Record<string, unknown>).$patch !== "delete");
    }
    return structuredClone(patch);
  }
  if (patch.$patch === "replace") {
    const { $patch: _ignored, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = strategicMergePatch(result[key], value);
  }
  return result;
}

export class JsonPatchError extends Error {}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError("a JSON patch must be an array of operations");
  let doc = structuredClone(target);
  for (const op of operations as Array<{ op: string; path: string; value?: unknown; from?: string }>) {
    const segments = pointer(op.path);
    if (segments.length === 0) {
      if (op.op === "replace" || op.op === "add") doc = structuredClone(op.value);
      else throw new JsonPatchError(`unsupported operation "${op.op}" on the document root`);
      continue;
    }
    let parent: unknown = doc;
    for (const seg of segments.slice(0, -1)) {
      parent = Array.isArray(parent) ? parent[Number(seg)] : isPlainObject(parent) ? parent[seg] : undefined;
      if (parent === undefined) throw new JsonPatchError(`doc is missing path: "${op.path}"`);
    }
    const last = segments[segments.length - 1]!;
    const container = parent as Record<string, unknown> & unknown[];
    switch (op.op) {
      case "add":
        if (Array.isArray(container))
          container.splice(last === "-" ? container.length : Number(last), 0, structuredClone(op.value));
        else (container as Record<string, unknown>)[last] = structuredClone(op.value);
        break;
      case "replace":
        if (!(last in container))
          throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${op.path}`);
        (container as Record<string, unknown>)[last] = structuredClone(op.value);
        break;
      case "remove":
        if (!(last in container))
          throw new JsonPatchError(`remove operation does not apply: doc is missing path: ${op.path}`);
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else delete container[last];
        break;
      case "test":
        if (JSON.stringify(container[last as never]) !== JSON.stringify(op.value))
          throw new JsonPatchError(`testing value ${op.path} failed`);
        break;
      default:
        throw new JsonPatchError(`unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}
