// Drill pages say the same thing everywhere, and say it plainly: a roll-forward that changed nothing does not read as
// "revision 4 → revision 4", and an RPO that does not apply reads "n/a" on the plans table as on the run page.
import { describe, expect, it } from "vitest";
import { stepEvidenceLine } from "./drill-report";
import { formatRpo, formatTargetMinutes } from "./drill-verdict";
import type { StepRecord } from "./step-record";

const rollForwardStep = (beforeRevision: number, afterRevision: number, afterImage: string): StepRecord => ({
  index: 3,
  name: "Roll forward",
  type: "roll_forward",
  state: "succeeded",
  startedAt: null,
  finishedAt: null,
  error: null,
  output: {
    rollForward: {
      namespace: "ml-inference",
      deployment: "llm-server",
      undoing: "corrupt_model injected at 2026-12-07T19:50:00.000Z",
      before: { revision: beforeRevision, replicas: 2, images: ["vllm:1"] },
      after: { revision: afterRevision, replicas: 2, images: [afterImage] },
    },
  },
});

describe("drill wording", () => {
  it("a roll-forward that found the deployment as before the drill says so instead of 'revision 4 → revision 4'", () => {
    const line = stepEvidenceLine(rollForwardStep(4, 4, "vllm:1"));
    expect(line).toContain("ml-inference/llm-server already as before the drill");
    expect(line).not.toContain("→");
    expect(stepEvidenceLine(rollForwardStep(3, 4, "vllm:0"))).toContain(
      "revision 3, 2 replicas, image vllm:1 → revision 4",
    );
  });

  it("says a dry run's rollout undo would roll back, not that it rolled back", () => {
    const step = (dryRun: boolean): StepRecord => ({
      index: 2,
      name: "Rollback model deployment",
      type: "rollout_undo",
      state: "succeeded",
      startedAt: null,
      finishedAt: null,
      error: null,
      output: {
        rollout: {
          namespace: "ml-inference",
          deployment: "llm-server",
          fromRevision: 3,
          toRevision: 2,
          targetReplicaSet: "llm-server-a72a2cf83d",
        },
        validation: { state: "succeeded" },
        ...(dryRun ? { dryRun: { wouldDo: "Roll Deployment ml-inference/llm-server back", ok: true } } : {}),
      },
    });
    const dry = stepEvidenceLine(step(true));
    expect(dry).toMatch(
      /^would roll back ml-inference\/llm-server from revision 3 to 2 \(llm-server-a72a2cf83d\) \(dry run: server-side validation only\)/,
    );
    expect(dry).not.toContain("revision 3 → 2");
    expect(dry).not.toMatch(/(^|; )validation succeeded/);
    expect(stepEvidenceLine(step(false))).toBe(
      "ml-inference/llm-server revision 3 → 2 (llm-server-a72a2cf83d); validation succeeded",
    );
  });

  it.each([
    [15, "15 min"],
    [60, "1 h"],
    [90, "1 h 30 min"],
    [1440, "24 h"],
  ])("says a target of %i minutes as %j", (minutes, text) => {
    expect(formatTargetMinutes(minutes)).toBe(text);
  });

  it("shows an RPO that does not apply as n/a, and one that was not measured as not measured", () => {
    expect(formatRpo(null, "n/a: recovered by rollout undo of ml-inference/llm-server to revision 2")).toBe("n/a");
    expect(formatRpo(null, "not measured: the drill was aborted before it proved a recovery")).toBe("not measured");
    expect(formatRpo(42, null)).toBe("42s");
  });
});
