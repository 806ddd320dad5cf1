import { describe, expect, it } from "vitest";
import { requestCostWindows } from "./request-cost-windows";

const day = (d: number) => Date.UTC(2026, 10, d);
const now = day(29);

describe("requestCostWindows", () => {
  it("charges a pool from its apply until now when no other request touches it", () => {
    expect(requestCostWindows([{ id: "a", appliedAt: day(1), revertedAt: null, nodePools: ["gpu"] }], now)).toEqual([
      { requestId: "a", nodePool: "gpu", from: day(1), to: now },
    ]);
  });

  it("hands a pool to the later request that re-applies it, so no hour is charged twice", () => {
    const windows = requestCostWindows(
      [
        { id: "create", appliedAt: day(1), revertedAt: null, nodePools: ["gpu", "cpu"] },
        { id: "resize", appliedAt: day(10), revertedAt: null, nodePools: ["gpu"] },
      ],
      now,
    );
    expect(windows).toEqual(
      expect.arrayContaining([
        { requestId: "create", nodePool: "gpu", from: day(1), to: day(10) },
        { requestId: "create", nodePool: "cpu", from: day(1), to: now },
        { requestId: "resize", nodePool: "gpu", from: day(10), to: now },
      ]),
    );
    expect(windows).toHaveLength(3);
  });

  it("stops at a revert, and leaves out a request reverted before anything ran or applied in the future", () => {
    const windows = requestCostWindows(
      [
        { id: "tried", appliedAt: day(3), revertedAt: day(5), nodePools: ["gpu"] },
        { id: "instant", appliedAt: day(6), revertedAt: day(6), nodePools: ["tpu"] },
        { id: "future", appliedAt: day(30), revertedAt: null, nodePools: ["x"] },
      ],
      now,
    );
    expect(windows).toEqual([{ requestId: "tried", nodePool: "gpu", from: day(3), to: day(5) }]);
  });

  it("counts a pool named twice in one request once", () => {
    expect(
      requestCostWindows([{ id: "a", appliedAt: day(1), revertedAt: null, nodePools: ["gpu", "gpu"] }], now),
    ).toHaveLength(1);
  });
});
