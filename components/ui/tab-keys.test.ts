import { describe, expect, it } from "vitest";
import { tabIndexAfterKey } from "./tab-keys";

describe("tabIndexAfterKey", () => {
  it.each<[string, number, number, number | null]>([
    ["ArrowRight", 0, 5, 1],
    ["ArrowRight", 4, 5, 0],
    ["ArrowLeft", 3, 5, 2],
    ["ArrowLeft", 0, 5, 4],
    ["Home", 3, 5, 0],
    ["End", 1, 5, 4],
    ["ArrowRight", 0, 1, 0],
    ["ArrowDown", 2, 5, null],
    ["Enter", 2, 5, null],
    ["a", 2, 5, null],
    ["ArrowRight", 0, 0, null],
  ])("%s from tab %i of %i goes to %s", (key, index, count, expected) => {
    expect(tabIndexAfterKey(key, index, count)).toBe(expected);
  });
});
