// Component tests: a fresh fetch mock per test, restored (and the rendered tree cleaned up) after each.
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

export function stubFetchPerTest(...alsoReset: { mockReset(): unknown }[]) {
  const fetchMock = vi.fn();
  beforeEach(() => {
    for (const m of [fetchMock, ...alsoReset]) m.mockReset();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
  return fetchMock;
}
