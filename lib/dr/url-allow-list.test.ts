import { describe, expect, it } from "vitest";
import { isUrlAllowed } from "./url-allow-list";

describe("isUrlAllowed", () => {
  const list = ["https://ok.example/health", "http://127.0.0.1:8080/"];
  it.each([
    ["https://ok.example/health", true],
    ["https://ok.example/health/deep", true],
    ["https://ok.example/healthz", false],
    ["https://ok.example.evil.com/health", false],
    ["http://ok.example/health", false],
    ["https://user:pw@ok.example/health", false],
    ["http://127.0.0.1:8080/anything", true],
    ["http://127.0.0.1:8081/anything", false],
    ["not a url", false],
  ])("%s → %s", (url, allowed) => {
    expect(isUrlAllowed(url, list)).toBe(allowed);
  });
});
