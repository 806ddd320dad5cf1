// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ClusterGpuLine } from "./cluster-gpu-line";

describe("ClusterGpuLine", () => {
  it("says the GPUs counted are the allocated ones, in text and to a screen reader", () => {
    const { container } = render(
      <ClusterGpuLine
        clusterId="c1"
        clusterName="sandbox"
        summary={{ totals: { nodes: 7, gpuAllocatable: 56, gpuAllocated: 18 }, pendingGpuPods: 1 }}
      />,
    );
    expect(container.querySelector(".meter-text")!.textContent).toBe("18 / 56 GPUs allocated");
    expect(screen.getByRole("meter", { name: "GPUs on sandbox" }).getAttribute("aria-valuetext")).toBe(
      "18 of 56 GPUs allocated",
    );
    expect(container.textContent).toContain("38 free on 7 nodes");
    expect(screen.getByRole("link").textContent).toBe("1 GPU pod waiting");
  });
});
