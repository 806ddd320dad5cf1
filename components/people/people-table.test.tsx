// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { PeopleTable } from "./people-table";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
const fetchMock = stubFetchPerTest(refresh);
afterEach(cleanup);

const person = {
  id: "u2",
  email: "vision-engineer@demo.local",
  name: "Vic Vision",
  role: "ml-engineer" as const,
  roleSource: "manual" as const,
  roleSsoGroup: null,
  disabled: false,
  singleSignOn: false,
  ssoGroups: [],
  lastSignInAt: null,
  teams: [],
};

describe("PeopleTable", () => {
  it("offers Disable as a quiet row action and confirms it in a dialog before anything is sent", () => {
    render(<PeopleTable people={[person]} currentUserId="u1" />);
    const disable = screen.getByRole("button", { name: "Disable vision-engineer@demo.local" });
    expect(disable.className).not.toContain("btn-danger");
    fireEvent.click(disable);
    expect(screen.getByText(/Every session and API token of this person stops working/)).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
