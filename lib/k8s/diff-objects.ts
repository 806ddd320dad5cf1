// Desired-versus-live comparison for the approval diff and "check drift". Only what the plan states is
// compared: server-set metadata, status and fields the API server defaulted (absent from desired) are ignored.
export interface FieldDifference {
  /** "spec.replicas", "spec.template.spec.containers[name=server].image", 'metadata.labels["app.kubernetes.io/name"]' */
  path: string;
  desired: unknown;
  live: unknown;
}

const ignoredMetadata = new Set([
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
  "finalizers",
]);
const ignoredTopLevel = new Set(["status", "apiVersion", "kind"]);

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

function join(base: string, key: string): string {
  const safe = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : undefined;
  if (!base) return safe ?? `[${JSON.stringify(key)}]`;
  return safe ? `${base}.${safe}` : `${base}[${JSON.stringify(key)}]`;
}

function normalizeScalar(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(".000Z", "Z");
  // The API returns numbers given as strings in quantities and int-or-string fields ("8" vs 8).
  if (typeof value === "number") return String(value);
  return value;
}

function isNamedList(value: unknown): value is Plain[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => isPlain(v) && typeof v.name === "string");
}

function compare(desired: unknown, live: unknown, path: string, out: FieldDifference[]) {
  if (desired === undefined) return;
  if (isPlain(desired)) {
    if (!isPlain(live)) {
      out.push({ path, desired, live });
      return;
    }
    for (const [key, value] of Object.entries(desired)) compare(value, live[key], join(path, key), out);
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) {
      out.push({ path, desired, live });
      return;
    }
    if (isNamedList(desired) && isNamedList(live)) {
      for (const item of desired) {
        const match = live.find((l) => l.name === item.name);
        compare(item, match, `${path}[name=${String(item.name)}]`, out);
      }
      const extra = live.filter((l) => !desired.some((d) => d.name === l.name));
      for (const item of extra)
        out.push({ path: `${path}[name=${String(item.name)}]`, desired: undefined, live: item });
      return;
    }
    if (desired.length !== live.length) {
      out.push({ path, desired, live });
      return;
    }
    desired.forEach((item, i) => compare(item, live[i], `${path}[${i}]`, out));
    return;
  }
  if (normalizeScalar(desired) !== normalizeScalar(live)) out.push({ path, desired, live });
}

export function diffObjects(
  desired: { metadata?: Plain } & Plain,
  live: ({ metadata?: Plain } & Plain) | undefined,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (ignoredTopLevel.has(key)) continue;
    if (key === "metadata" && isPlain(value)) {
      for (const [metaKey, metaValue] of Object.entries(value)) {
        if (ignoredMetadata.has(metaKey)) continue;
        compare(metaValue, isPlain(live?.metadata) ? live.metadata[metaKey] : undefined, `metadata.${metaKey}`, out);
      }
      continue;
    }
    compare(value, live?.[key], key, out);
  }
  return out;
}
