import { describe, expect, it } from "vitest";
import { chooseRollbackTarget, rollbackPatch, templateWithoutHash } from "./deployment-revisions";

const rs = (name: string, revision: number, annotations: Record<string, string> = {}) => ({
  metadata: { name, annotations: { "deployment.kubernetes.io/revision": String(revision), ...annotations } },
  spec: { template: { metadata: { labels: { app: "llm", "pod-template-hash": name } }, spec: {} } },
});

describe("chooseRollbackTarget", () => {
  it("picks the second-highest revision, whatever order the list comes in", () => {
    const choice = chooseRollbackTarget("llm", [rs("a", 1), rs("c", 3), rs("b", 2)]);
    expect(choice).toMatchObject({ ok: true, fromRevision: 3, toRevision: 2, replicaSet: { metadata: { name: "b" } } });
  });

  it("goes to an explicit revision", () => {
    expect(chooseRollbackTarget("llm", [rs("a", 1), rs("c", 3)], 1)).toMatchObject({ ok: true, toRevision: 1 });
  });

  it.each([
    [[rs("a", 1)], 0, "no_previous_revision"],
    [[rs("a", 1), rs("b", 2)], 7, "revision_not_found"],
  ])("refuses when there is nowhere to go (%#)", (sets, to, reason) => {
    expect(chooseRollbackTarget("llm", sets, to)).toMatchObject({ ok: false, reason });
  });
});

describe("rollbackPatch", () => {
  it("keeps the Deployment's own annotations and takes the revision's others", () => {
    const patch = rollbackPatch({ "deployment.kubernetes.io/revision": "3", team: "old" }, rs("b", 2, { team: "ml" }), {});
    expect(patch[1].value).toEqual({ "deployment.kubernetes.io/revision": "3", team: "ml" });
  });

  it("drops the pod-template-hash label from the template", () => {
    expect(templateWithoutHash(rs("b", 2).spec.template).metadata?.labels).toEqual({ app: "llm" });
  });
});
