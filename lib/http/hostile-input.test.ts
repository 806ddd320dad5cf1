import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findUnboundedInteger, findUnstorableInput, MAX_JSON_DEPTH, unstorableText } from "./hostile-input";

describe("unstorableText", () => {
  it.each(["plain", "ünïcödé", "emoji 😀 (a surrogate pair)", ""])("accepts %j", (text) =>
    expect(unstorableText(text)).toBeNull(),
  );
  it.each([
    ["a\u0000b", /NUL/],
    ["\u0000", /NUL/],
    ["x\uD800", /lone UTF-16 surrogate/],
    ["\uDC00y", /lone UTF-16 surrogate/],
    ["\uDE00\uD83D", /lone UTF-16 surrogate/], // a pair in the wrong order is two lone halves
  ])("refuses %j", (text, why) => expect(unstorableText(text)).toMatch(why));
});

describe("findUnstorableInput", () => {
  it("names the path of a nested value", () => {
    expect(findUnstorableInput({ input: { models: [{ name: "ok" }, { name: "a\u0000" }] } }, "body")).toEqual({
      path: "input.models.1.name",
      message: expect.stringMatching(/^body\.input\.models\.1\.name contains a NUL/),
    });
  });

  it("refuses a hostile object key, naming it escaped", () => {
    const found = findUnstorableInput({ labels: { "k\u0000": "v" } }, "body");
    expect(found?.path).toBe("labels.k\\u0000");
    expect(found?.message).toMatch(/a key of body\.labels \(k\\u0000\) contains a NUL/);
  });

  it("accepts storable values of every JSON type", () => {
    expect(findUnstorableInput({ a: 1, b: [true, null, "x", { c: "😀" }] }, "body")).toBeNull();
    expect(findUnstorableInput(undefined, "body")).toBeNull();
  });

  it("refuses nesting beyond the limit without exhausting the stack", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableInput(deep, "body")?.message).toMatch(`nested more than ${MAX_JSON_DEPTH} levels`);
    let fits: unknown = "leaf";
    for (let i = 0; i < MAX_JSON_DEPTH; i++) fits = { a: fits };
    expect(findUnstorableInput(fits, "body")).toBeNull();
  });
});

describe("findUnboundedInteger", () => {
  const schema = z.object({
    version: z.coerce.number().int().min(1).optional(),
    steps: z.array(z.object({ attempt: z.number().int() })).optional(),
    budgetUsd: z.number().int().max(1e11).optional(),
    ratio: z.number().optional(),
    byName: z.record(z.string(), z.number().int()).optional(),
    target: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("a"), n: z.number().int() }),
        z.object({ kind: z.literal("b"), m: z.string() }),
      ])
      .optional(),
    delta: z.number().int().optional(),
  });

  it.each([
    [{ version: "2147483647" }],
    [{ steps: [{ attempt: 3 }] }],
    [{ budgetUsd: 99_999_999_999 }], // the field sets its own bound past int4
    [{ ratio: 1e300 }], // not an integer field
    [{ delta: -2_147_483_648 }],
    [{ target: { kind: "b", m: "x" } }],
  ])("accepts %j", (value) => expect(findUnboundedInteger(schema, value)).toBeNull());

  it.each([
    [{ version: "99999999999" }, "version"],
    [{ steps: [{ attempt: 1 }, { attempt: 2 ** 31 }] }, "steps.1.attempt"],
    [{ byName: { x: 1e12 } }, "byName.x"],
    [{ target: { kind: "a", n: 2 ** 40 } }, "target.n"],
    [{ delta: -2_147_483_649 }, "delta"],
  ])("refuses %j naming %s", (value, path) => {
    expect(findUnboundedInteger(schema, value)).toEqual({
      path,
      message: "must be a whole number from -2147483648 to 2147483647",
    });
  });
});
