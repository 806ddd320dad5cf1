// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import type { TokenView } from "@/lib/auth/api-token";
import { ApiTokens } from "./api-tokens";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
const fetchMock = stubFetchPerTest(refresh);
const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const token = (over: Partial<TokenView>): TokenView => ({
  id: "t1",
  kind: "personal",
  name: "ci pipeline",
  prefix: "mlp_abcdef",
  scopes: ["requests:read", "requests:write"],
  ownerEmail: "e@x",
  teamId: null,
  teamName: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  expiresAt: "2027-03-01T10:00:00.000Z",
  revokedAt: null,
  lastUsedAt: "2026-12-06T09:00:00.000Z",
  ...over,
});
const now = "2026-12-07T08:00:00.000Z";

describe("ApiTokens", () => {
  it("lists name, scopes, created, expires, last used and state", () => {
    render(
      <ApiTokens
        tokens={[token({}), token({ id: "t2", name: "old", revokedAt: "2026-12-02T00:00:00.000Z", lastUsedAt: null })]}
        teams={[]}
        now={now}
      />,
    );
    const rows = within(screen.getByTestId("token-list"))
      .getAllByRole("row")
      .slice(1)
      .map((r) => r.textContent);
    expect(rows[0]).toMatch(
      /ci pipeline.*mlp_abcdef.*requests:read, requests:write.*2026-12-01.*2027-03-01.*2026-12-06.*active.*Revoke/,
    );
    expect(rows[1]).toMatch(/old.*never.*revoked$/);
    expect(screen.queryByLabelText(/Service token for team/)).toBeNull();
  });

  it("creates a token, shows its secret once with a copy button, and sends the chosen scopes and expiry", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    fetchMock.mockResolvedValueOnce(
      jsonResponse(201, { secret: "mlp_SECRET", token: token({ id: "t3", name: "deploy" }) }),
    );
    render(<ApiTokens tokens={[]} teams={[]} now={now} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "deploy" } });
    fireEvent.click(screen.getByLabelText("requests:write"));
    fireEvent.click(screen.getByLabelText("costs:read"));
    fireEvent.change(screen.getByLabelText(/Expires in/), { target: { value: "30" } });
    fireEvent.submit(screen.getByTestId("create-token-form"));
    expect((await screen.findByTestId("new-token-secret")).textContent).toBe("mlp_SECRET");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/tokens");
    expect(JSON.parse(init.body as string)).toEqual({
      name: "deploy",
      scopes: ["requests:read", "costs:read"],
      expiresInDays: 30,
    });
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("mlp_SECRET"));
    expect(screen.getByRole("button", { name: "Copied" })).toBeTruthy();
    expect(refresh).toHaveBeenCalled();
  });

  it("shows the API's refusal naming the field, and no secret", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(422, { error: { message: "Invalid body: expiresInDays: expiresInDays must be at most 365" } }),
    );
    render(<ApiTokens tokens={[]} teams={[]} now={now} />);
    fireEvent.submit(screen.getByTestId("create-token-form"));
    expect((await screen.findByRole("alert")).textContent).toContain("expiresInDays");
    expect(screen.queryByTestId("new-token")).toBeNull();
  });

  it("revokes with DELETE and refreshes; admins get the team choice for service tokens", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { token: token({ revokedAt: now }) }));
    render(<ApiTokens tokens={[token({})]} teams={[{ id: "team-1", name: "NLP" }]} now={now} />);
    fireEvent.click(screen.getByRole("button", { name: "Revoke ci pipeline" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0]).toEqual(["/api/v1/tokens/t1", { method: "DELETE" }]);
    expect(screen.getByLabelText(/Service token for team/)).toBeTruthy();
  });
});
