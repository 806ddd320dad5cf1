import { describe, expect, it } from "vitest";
import { findIntegerBeyondInt4, findUnstorableInput, MAX_JSON_DEPTH, unstorableText } from "./hostile-input";

describe("unstorableText", () => {
  it.each(["plain", "ünïcödé", "emoji 😀 (a surrogate pair)", ""])("accepts %j", (text) => expect(unstorableText(text)).toBeNull());
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
    expect(findUnstorableInput({ input: { models: [{ name: "ok" }, { name: "a\u0000" }] } }, "body")).toEqual({ path: "input.models.1.name", message: expect.stringMatching(/^body\.input\.models\.1\.name contains a NUL/) });
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

describe("findIntegerBeyondInt4", () => {
  it.each([{ version: 2_147_483_647 }, { version: -2_147_483_648 }, { page: 1, q: "x" }, { ratio: 1e12 + 0.5 }])("accepts %j", (value) => {
    expect(findIntegerBeyondInt4(value)).toBeNull();
  });
  it.each([
    [{ version: 99_999_999_999 }, "version"],
    [{ after: -2_147_483_649 }, "after"],
    [{ id: "x", range: { index: 2 ** 31 } }, "range.index"],
  ])("refuses %j naming %s", (value, path) => {
    expect(findIntegerBeyondInt4(value)).toEqual({ path, message: "must be a whole number from -2147483648 to 2147483647" });
  });
});
