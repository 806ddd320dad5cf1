import { describe, expect, it } from "vitest";
import { groupByCluster } from "./group-by-cluster";

describe("groupByCluster", () => {
  it("puts a primary's and its standby's same-named backups under their clusters, in first-seen order", () => {
    const primary = { id: "c1", name: "sandbox" };
    const standby = { id: "c2", name: "sandbox-standby" };
    const groups = groupByCluster([
      { name: "b-200", cluster: primary },
      { name: "b-200", cluster: standby },
      { name: "b-100", cluster: primary },
      { name: "b-100", cluster: standby },
    ]);
    expect(groups.map((g) => [g.cluster.name, g.items.map((i) => i.name)])).toEqual([
      ["sandbox", ["b-200", "b-100"]],
      ["sandbox-standby", ["b-200", "b-100"]],
    ]);
  });
});
