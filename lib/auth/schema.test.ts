import { describe, expect, it } from "vitest";
import { passwordSignInInput } from "./schema";

describe("passwordSignInInput", () => {
  it("trims and lower-cases the email", () => {
    expect(passwordSignInInput.parse({ email: " Ada@Example.COM ", password: "pw" })).toEqual({
      email: "ada@example.com",
      password: "pw",
    });
  });

  it("keeps a password with emoji and accents (well-formed surrogate pairs)", () => {
    expect(passwordSignInInput.parse({ email: "a@b.io", password: "pässwörd-🔑" }).password).toBe("pässwörd-🔑");
  });

  it.each([
    ["email", { email: "a\u0000b", password: "pw" }],
    ["email", { email: "a@b.io\u0000", password: "pw" }],
    ["email", { email: "\uD83Da@b.io", password: "pw" }],
    ["email", { email: "a\uDE00@b.io", password: "pw" }],
    ["email", { email: "not-an-email", password: "pw" }],
    ["email", { email: "", password: "pw" }],
    ["email", { email: `${"x".repeat(250)}@b.io`, password: "pw" }],
    ["email", { email: ["a@b.io"], password: "pw" }],
    ["password", { email: "a@b.io", password: "" }],
    ["password", { email: "a@b.io", password: "p\u0000w" }],
    ["password", { email: "a@b.io", password: "p\nw" }],
    ["password", { email: "a@b.io", password: "p\uD800" }],
    ["password", { email: "a@b.io", password: "p".repeat(1025) }],
    ["password", { email: "a@b.io" }],
  ])("refuses a bad %s with a message naming it", (field, input) => {
    const result = passwordSignInInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]!.path).toEqual([field]);
    expect(result.error?.issues[0]!.message).toMatch(new RegExp(`^${field}: `));
  });
});
