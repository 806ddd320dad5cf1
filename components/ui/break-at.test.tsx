// @vitest-environment happy-dom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BreakAt, breakPoints } from "./break-at";

describe("BreakAt", () => {
  it("breaks emails after @, paths after /, and before each dot, nowhere else", () => {
    expect(breakPoints("admin@demo.local")).toEqual(["admin@", "demo", ".local"]);
    expect(breakPoints("request.approve")).toEqual(["request", ".approve"]);
    expect(breakPoints("auth.sign-in")).toEqual(["auth", ".sign-in"]);
    expect(breakPoints("system")).toEqual(["system"]);
    expect(breakPoints(".hidden")).toEqual([".hidden"]);
    expect(breakPoints("ml-inference/model-server")).toEqual(["ml-inference/", "model-server"]);
  });

  it("keeps the text as it is and only adds <wbr> between the pieces", () => {
    const { container } = render(
      <span>
        <BreakAt text="vision-engineer@demo.local" />
      </span>,
    );
    expect(container.textContent).toBe("vision-engineer@demo.local");
    expect(container.querySelectorAll("wbr")).toHaveLength(2);
  });
});
