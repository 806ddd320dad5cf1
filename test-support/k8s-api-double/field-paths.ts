// Leaf-level field paths, the granularity at which the double tracks field ownership.
// A path is a list of segments: "f:<field>" for a map key, 'k:{"name":"<n>"}' for an item of a list whose
// items are objects keyed by name (containers, env, volumes...). Other lists are atomic leaves, as in the API
// for lists without a merge key.
export type Segment = string;
export type Leaves = Map<string, { path: Segment[]; value: unknown }>;

const SEP = "\u0000";
export const pathKey = (path: Segment[]): string => path.join(SEP);
export const keyToPath = (key: string): Segment[] => (key === "" ? [] : key.split(SEP));

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isKeyedList(value: unknown[]): value is Array<Record<string, unknown> & { name: string }> {
  if (value.length === 0) return false;
  const names = new Set<string>();
  for (const item of value) {
    if (!isPlainObject(item) || typeof item.name !== "string" || names.has(item.name)) return false;
    names.add(item.name);
  }
  return true;
}

export function flattenLeaves(value: Record<string, unknown>, prefix: Segment[] = [], out: Leaves = new Map()): Leaves {
  for (const [field, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const path = [...prefix, `f:${field}`];
    if (isPlainObject(child) && Object.keys(child).length > 0) {
      flattenLeaves(child, path, out);
    } else if (Array.isArray(child) && isKeyedList(child)) {
      for (const item of child) flattenLeaves(item, [...path, `k:${JSON.stringify({ name: item.name })}`], out);
    } else {
      out.set(pathKey(path), { path, value: child });
    }
  }
  return out;
}

class KeyedItems {
  items = new Map<string, Record<string, unknown>>();
}

export function unflattenLeaves(leaves: Iterable<{ path: Segment[]; value: unknown }>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, value } of leaves) {
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i];
      const next = path[i + 1];
      const field = seg!.slice(2);
      if (seg!.startsWith("k:")) continue;
      if (next!.startsWith("k:")) {
        const list = (node[field] instanceof KeyedItems ? node[field] : (node[field] = new KeyedItems())) as KeyedItems;
        const item = list.items.get(next!) ?? (JSON.parse(next!.slice(2)) as Record<string, unknown>);
        list.items.set(next!, item);
        node = item;
        i++;
        continue;
      }
      if (!isPlainObject(node[field]) || node[field] instanceof KeyedItems) node[field] = {};
      node = node[field] as Record<string, unknown>;
    }
    node[path[path.length - 1]!.slice(2)] = structuredClone(value);
  }
  return finalize(root) as Record<string, unknown>;
}

function finalize(value: unknown): unknown {
  if (value instanceof KeyedItems) return [...value.items.values()].map(finalize);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finalize(v)]));
  return value;
}

/** ".spec.template.spec.containers[name=\"web\"].image", the form the API uses in conflict causes. */
export function displayPath(path: Segment[]): string {
  return path
    .map((seg) => {
      if (seg.startsWith("f:")) return `.${seg.slice(2)}`;
      const key = JSON.parse(seg.slice(2)) as Record<string, string>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}

/** managedFields fieldsV1 for a set of leaf paths: {"f:spec":{"f:replicas":{}}}, keyed items marked with ".". */
export function leavesToFieldsV1(keys: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const key of keys) {
    let node = root;
    for (const seg of keyToPath(key)) {
      node = (node[seg] ??= seg.startsWith("k:") ? { ".": {} } : {}) as Record<string, unknown>;
    }
  }
  return root;
}

export function fieldsV1ToLeaves(fields: unknown, prefix: Segment[] = [], out = new Set<string>()): Set<string> {
  if (!isPlainObject(fields)) return out;
  const children = Object.keys(fields).filter((k) => k !== ".");
  if (children.length === 0 && prefix.length > 0 && !prefix[prefix.length - 1]!.startsWith("k:"))
    out.add(pathKey(prefix));
  for (const child of children) fieldsV1ToLeaves(fields[child], [...prefix, child], out);
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
