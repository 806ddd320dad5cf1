// @vitest-environment happy-dom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TeamBudgetList } from "./team-budget-list";

const team = (spentUsd: number, forecastUsd: number) => ({
  slug: "nlp",
  name: "NLP",
  budgetUsd: 100_000,
  spentUsd,
  forecastUsd,
  spentShare: spentUsd / 100_000,
  overBudget: forecastUsd > 100_000,
});

describe("TeamBudgetList", () => {
  it("colours the bar by the forecast: red at 27 % spent when the month is forecast over budget", () => {
    const { container } = render(<TeamBudgetList teams={[team(27_000, 120_000)]} />);
    const meter = container.querySelector(".meter")!;
    expect(meter.getAttribute("data-tone")).toBe("full");
    expect((container.querySelector(".meter-projected") as HTMLElement).style.width).toBe("100%");
    expect((container.querySelector(".meter-fill") as HTMLElement).style.width).toBe("27%");
    expect(container.textContent).toContain("forecast over budget");
  });

  it("stays green when neither spend nor forecast comes near the budget", () => {
    const { container } = render(<TeamBudgetList teams={[team(20_000, 50_000)]} />);
    expect(container.querySelector(".meter")!.getAttribute("data-tone")).toBe("ok");
    expect((container.querySelector(".meter-projected") as HTMLElement).style.width).toBe("50%");
  });
});
