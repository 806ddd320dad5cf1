// The live preview's verdict in one line, shown beside Submit: whether the plan can be submitted, what it costs and
// what its findings say, so nobody submits without having seen it (the full preview is beside or above the button).
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { formatUsd } from "./request-form-model";
import type { LivePlan } from "./use-live-plan";

export interface PreviewVerdict {
  tone: "ok" | "pending" | "blocked";
  text: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function previewVerdict(live: LivePlan): PreviewVerdict {
  switch (live.state) {
    case "pending":
      return { tone: "pending", text: "Generating the plan…" };
    case "invalid":
      return {
        tone: "blocked",
        text: `The plan cannot be generated: ${plural(live.errors.length, "field needs", "fields need")} fixing (listed in the preview).`,
      };
    case "failed":
      return { tone: "blocked", text: `The engine refused this plan: ${live.message}` };
    case "ok": {
      const blocking = blockingFindings(live.plan.viability_report).length;
      const cost = `${formatUsd(live.plan.cost_estimate.totals.expected)}/month expected`;
      if (blocking > 0)
        return {
          tone: "blocked",
          text: `${plural(blocking, "blocking finding", "blocking findings")} to fix before submitting (listed in the preview) · ${cost}.`,
        };
      const { score, counts } = live.plan.security_report;
      const critical =
        counts.critical > 0 ? `, ${plural(counts.critical, "critical finding", "critical findings")}` : "";
      return { tone: "ok", text: `Plan ready: ${cost} · security ${score}/100${critical} · nothing blocks it.` };
    }
  }
}
