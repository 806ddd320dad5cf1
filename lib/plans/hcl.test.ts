// Expected outputs follow `terraform fmt` (v1.11, checked on this machine against the generated EKS/GKE/AKS files).
import { describe, expect, it } from "vitest";
import { alignHclAttributes, hclString, hclStringVariables, hclValue } from "./hcl";

describe("hclValue", () => {
  it("quotes keys that are not identifiers and escapes interpolation in strings", () => {
    expect(hclValue({ "k8s.io/role": "a", plain: 1 })).toBe('{\n  "k8s.io/role" = "a"\n  plain = 1\n}');
    expect(hclString("${evil}")).toBe('"$${evil}"');
    expect(hclString("%{ if x }")).toBe('"%%{ if x }"');
    expect(hclValue([])).toBe("[]");
  });
});

describe("hclStringVariables", () => {
  it("writes one string variable block per name, blank-line separated, with escaped defaults", () => {
    expect(hclStringVariables({ region: "us-west-2", cluster_name: "${x}" })).toBe(
      'variable "region" {\n  type    = string\n  default = "us-west-2"\n}\n\nvariable "cluster_name" {\n  type    = string\n  default = "$${x}"\n}\n',
    );
  });
});

describe("alignHclAttributes", () => {
  it.each([
    ["aligns a run of single-line attributes", "a = 1\nlonger = 2", "a      = 1\nlonger = 2"],
    [
      "does not align a multi-line value opener, which ends the run",
      "name = 1\nlabels = {\n  x = 1\n  yy = 2\n}\nz = 3",
      "name = 1\nlabels = {\n  x  = 1\n  yy = 2\n}\nz = 3",
    ],
    ["keeps inline objects in the run", "a = { b = 1 }\nccc = 2", "a   = { b = 1 }\nccc = 2"],
    ["a blank line starts a new run", "a = 1\n\nbbbb = 2", "a = 1\n\nbbbb = 2"],
    ["quoted keys align too", '"x/y" = 1\nz = 2', '"x/y" = 1\nz     = 2'],
  ])("%s", (_name, input, expected) => {
    expect(alignHclAttributes(input)).toBe(expected);
  });
});
