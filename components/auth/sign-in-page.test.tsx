// @vitest-environment happy-dom
// /signin?error=<text>: anyone can write that link, so the red alert shows only fixed messages (phishing otherwise).
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import SignInPage from "@/app/signin/page";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => null }));
vi.mock("next/navigation", () => ({ redirect: vi.fn() }));
vi.mock("next-auth/react", () => ({ signIn: vi.fn() }));

async function alertFor(error: string) {
  render(await SignInPage({ searchParams: Promise.resolve({ error }) }));
  return screen.getByTestId("sign-in-error").textContent;
}

describe("the sign-in page's error alert", () => {
  afterEach(cleanup);

  it("never shows text from the link", async () => {
    const phish = "Your account is locked: call +1 555 0100 and read us your password";
    const shown = await alertFor(phish);
    expect(shown).not.toContain("555 0100");
    expect(shown).toMatch(/^Sign-in did not complete/);
  });

  it("shows the fixed message of a known code", async () => {
    expect(await alertFor("AccountDisabled")).toBe("This account is disabled: ask a platform admin to re-enable it.");
  });
});
