// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { RequestsTable } from "./requests-table";

afterEach(cleanup);

const item = {
  id: "r1",
  number: 2,
  kind: "gpu_cluster",
  title: "GPU cluster (training) on ml-production",
  status: "pending_approval",
  teamName: "NLP",
  requesterName: "Erin Engineer",
  clusterName: "sandbox",
  monthlyCostUsd: 3454,
  securityScore: 88,
  criticalFindings: 0,
  createdAt: new Date("2026-12-07T23:00:00Z"),
};

describe("RequestsTable at 1,024 px", () => {
  it("fits seven columns: the requester under the team, the cluster beside the kind, the id never breaks, the title keeps its width", () => {
    render(
      <RequestsTable
        items={[item]}
        sort="-createdAt"
        sortHref={(s) => `?sort=${s}`}
        now={new Date("2026-12-08T00:00:00Z")}
      />,
    );
    const table = screen.getByTestId("requests-table");
    expect(within(table).getAllByRole("columnheader")).toHaveLength(7);
    const [id, title, , team] = within(table).getAllByRole("cell");
    expect(id?.textContent).toBe("REQ-2");
    expect(id?.className).toContain("nowrap");
    expect(title?.className).toContain("requests-title-col");
    expect(title?.textContent).toContain("GPU cluster · on sandbox");
    expect(team?.textContent).toBe("NLPby Erin Engineer");
  });
});
