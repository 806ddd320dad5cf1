import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flowNestingDepth, parseManifestsYaml, utf8ByteLength } from "./parse-manifests";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

// Hostile inputs must be rejected fast; the per-test timeout (not a timed assertion) bounds "fast" at 2 s,
// while bench/scan-hostile-input.ts prints the actual figures.
const fast = 2_000;

describe("parseManifestsYaml", () => {
  it("returns every object of a multi-document stream, skipping empty and comment-only documents", () => {
    const result = parseManifestsYaml(`---\n${configMap("a")}---\n# nothing here\n---\n${configMap("b")}---\n`);
    expect(result).toEqual({
      ok: true,
      objects: [
        expect.objectContaining({ metadata: { name: "a" } }),
        expect.objectContaining({ metadata: { name: "b" } }),
      ],
    });
  });

  it("reads YAML 1.1 booleans as kubectl does, so `privileged: yes` counts", () => {
    const result = parseManifestsYaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    securityContext: {privileged: yes}\n",
    );
    expect(result.ok && (result.objects[0]!.spec as any).containers[0].securityContext.privileged).toBe(true);
  });

  it("expands a List as kubectl get -o yaml writes it", () => {
    const result = parseManifestsYaml(
      `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n- {apiVersion: v1, kind: Secret}\n`,
    );
    expect(result).toEqual({
      ok: false,
      errors: [{ document: 1, path: "items[1].metadata.name", message: expect.stringContaining("metadata.name") }],
    });
  });

  it.each([
    {
      name: "a scalar document",
      yaml: `${configMap("a")}---\njust text\n`,
      document: 2,
      path: "",
      message: /found a string/,
    },
    {
      name: "a list document",
      yaml: `${configMap("a")}---\n- 1\n- 2\n`,
      document: 2,
      path: "",
      message: /found a list/,
    },
    {
      name: "missing apiVersion",
      yaml: "kind: ConfigMap\nmetadata: {name: a}\n",
      document: 1,
      path: "apiVersion",
      message: /apiVersion/,
    },
    { name: "missing kind", yaml: "apiVersion: v1\nmetadata: {name: a}\n", document: 1, path: "kind", message: /kind/ },
    {
      name: "missing metadata",
      yaml: `${configMap("a")}---\n${configMap("b")}---\napiVersion: v1\nkind: ConfigMap\n`,
      document: 3,
      path: "metadata.name",
      message: /metadata.name/,
    },
    {
      name: "a numeric name",
      yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 42}\n",
      document: 1,
      path: "metadata.name",
      message: /not a string/,
    },
    {
      name: "a syntax error",
      yaml: `${configMap("a")}---\napiVersion: v1\nkind: [unclosed\n`,
      document: 2,
      path: "",
      message: /line \d+, column \d+/,
    },
    {
      name: "duplicate keys, which could hide a second privileged: true",
      yaml: "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n",
      document: 1,
      path: "",
      message: /unique/,
    },
    { name: "an empty stream", yaml: "# only a comment\n", document: 0, path: "", message: /no Kubernetes objects/ },
  ])("reports $name with the document number and path", ({ yaml, document, path, message }) => {
    const result = parseManifestsYaml(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ document, path });
    expect(result.errors[0]!.message).toMatch(message);
  });

  it("rejects an alias bomb (billion laughs)", { timeout: fast }, () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${previous}`).join(", ")}]`,
      );
    }
    const result = parseManifestsYaml(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join("\n")}\n`,
    );
    expect(result).toEqual({ ok: false, errors: [{ document: 1, path: "", message: expect.stringMatching(/alias/) }] });
  });

  it("still accepts a few ordinary aliases", () => {
    const result = parseManifestsYaml(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {app: x}}\ndata: {copy: *l}\n",
    );
    expect(result.ok).toBe(true);
  });

  it("rejects 500 documents, naming the limit of 200", { timeout: fast }, () => {
    const result = parseManifestsYaml(Array.from({ length: 500 }, (_, i) => configMap(`c${i}`)).join("---\n"));
    expect(result).toEqual({
      ok: false,
      errors: [{ document: 0, path: "", message: expect.stringContaining("more than 200 YAML documents") }],
    });
  });

  it("accepts exactly 200 documents", () => {
    const result = parseManifestsYaml(Array.from({ length: 200 }, (_, i) => configMap(`c${i}`)).join("---\n"));
    expect(result.ok && result.objects.length).toBe(200);
  });

  it("rejects 2 MB of input before parsing it", { timeout: fast }, () => {
    const result = parseManifestsYaml(`${configMap("a")}  b: "${"x".repeat(2 * 1024 * 1024)}"\n`);
    expect(result).toEqual({
      ok: false,
      errors: [{ document: 0, path: "", message: expect.stringContaining("larger than 1048576 bytes") }],
    });
  });

  it("counts bytes, not characters: 600,000 two-byte characters exceed 1 MiB", () => {
    const text = `${configMap("a")}  b: "${"é".repeat(600_000)}"\n`;
    expect(text.length).toBeLessThan(1024 * 1024);
    expect(parseManifestsYaml(text).ok).toBe(false);
  });

  it("rejects pathological nesting instead of overflowing the stack", { timeout: fast }, () => {
    const result = parseManifestsYaml(`a: ${"[".repeat(400_000)}`);
    expect(result).toEqual({
      ok: false,
      errors: [{ document: 0, path: "", message: expect.stringContaining("nests [ or {") }],
    });
  });

  it("honours custom limits", () => {
    expect(parseManifestsYaml(`${configMap("a")}---\n${configMap("b")}`, { maxDocuments: 1 }).ok).toBe(false);
    expect(parseManifestsYaml(configMap("a"), { maxBytes: 10 }).ok).toBe(false);
  });
});

describe("parseManifestsYaml on arbitrary text", () => {
  // YAML-ish fragments make the generator hit anchors, aliases, flow collections, tags and document markers.
  const fragment = fc.constantFrom(
    "---\n",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "metadata: {name: a}\n",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "!!binary ",
    "'",
    '"',
    "#",
    "\t",
    "  ",
    "\n",
    "<<: *a\n",
    "%YAML 1.1\n",
    "...\n",
  );
  const text = fc.oneof(
    fc.string(),
    fc.array(fc.oneof(fragment, fc.string({ maxLength: 3 })), { maxLength: 40 }).map((parts) => parts.join("")),
  );

  it("never throws, and only returns objects that carry apiVersion, kind and metadata.name", () => {
    fc.assert(
      fc.property(text, (input) => {
        const result = parseManifestsYaml(input);
        if (result.ok) {
          for (const object of result.objects) {
            expect(typeof object.apiVersion).toBe("string");
            expect(typeof object.kind).toBe("string");
            expect(typeof object.metadata.name).toBe("string");
          }
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.length).toBeLessThanOrEqual(20);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("flowNestingDepth", () => {
  it.each([
    { text: "a: [[[1]]]", limit: 3, exceeded: false },
    { text: "a: [[[[1]]]]", limit: 3, exceeded: true },
    { text: "a: '[[[[[['\nb: 1", limit: 3, exceeded: false },
    { text: "a: 1 # [[[[[[\nb: 2", limit: 3, exceeded: false },
    { text: "a: it's [x]\nb: [[[[1]]]]", limit: 3, exceeded: true },
  ])("$text with limit $limit → exceeded $exceeded", ({ text, limit, exceeded }) => {
    expect(flowNestingDepth(text, limit).exceeded).toBe(exceeded);
  });
});

describe("utf8ByteLength", () => {
  it.each(["ascii", "é", "€", "😀", "mixed é€😀"])("matches TextEncoder for %s", (text) => {
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});
