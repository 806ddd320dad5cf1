// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  contrastRatio,
  heatBackground,
  heatCellColours,
  readableTextOn,
  relativeLuminance,
  type Rgb,
} from "./heat-colour";
import { HeatMap } from "./heat-map";

afterEach(cleanup);
const parse = (css: string): Rgb => css.match(/\d+/g)!.slice(0, 3).map(Number) as unknown as Rgb;
const scale = Array.from({ length: 201 }, (_, i) => i / 2); // 0, 0.5, … 100 %

describe("WCAG arithmetic", () => {
  it("matches the reference values", () => {
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 6);
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    expect(contrastRatio([255, 255, 255], [118, 118, 118])).toBeCloseTo(4.54, 2); // #767676, the classic AA grey
  });
});

describe("heat-map cell colours", () => {
  it("reach 4.5:1 between text and background over the whole scale", () => {
    for (const v of scale) {
      const { background, color } = heatCellColours(v);
      expect(contrastRatio(parse(color), parse(background)), `${v} %`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("use white text on the dark end and dark text on the light end", () => {
    expect(readableTextOn(heatBackground(100))).toEqual([255, 255, 255]);
    expect(readableTextOn(heatBackground(0))).toEqual([0, 0, 0]);
  });

  it("are what the rendered heat map uses, for every cell with data", () => {
    const { container } = render(<HeatMap matrix={[scale.slice(0, 100), scale.slice(100), [null]]} />);
    const cells = [...container.querySelectorAll("td")].filter((td) => td.textContent !== "");
    expect(cells).toHaveLength(201);
    for (const td of cells) {
      expect(
        contrastRatio(parse(td.style.color), parse(td.style.backgroundColor || td.style.background)),
        td.title,
      ).toBeGreaterThanOrEqual(4.5);
    }
  });
});
