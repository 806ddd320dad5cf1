"use client";
// Recomputes the plan in the browser ~100 ms after the last keystroke. Each result carries how long the update
// took (parse + generate), which the panel shows and the e2e test reports.
import { useEffect, useRef, useState } from "react";
import type { PlanOutput } from "@/lib/plans/generate-plan";
import { formatPlanInputErrors, planInputSchema } from "@/lib/plans/schema";
import { planInputForKind, type RequestKind } from "@/lib/requests/request-kinds";
import type { PriceList } from "@/lib/pricing/price-list";

export type LivePlan =
  | { state: "pending" }
  | { state: "ok"; plan: PlanOutput; ms: number }
  | { state: "invalid"; errors: { path: string; message: string }[]; ms: number }
  | { state: "failed"; message: string; ms: number };

const NO_PRICES: readonly PriceList[] = [];

export function useLivePlan(
  kind: RequestKind,
  input: unknown,
  delayMs = 100,
  priceLists: readonly PriceList[] = NO_PRICES,
): LivePlan {
  const [result, setResult] = useState<LivePlan>({ state: "pending" });
  const generation = useRef(0);
  const key = JSON.stringify([kind, input]);
  useEffect(() => {
    const mine = ++generation.current;
    const timer = setTimeout(async () => {
      const started = performance.now();
      const parsed = planInputSchema.safeParse(planInputForKind(kind, (input ?? {}) as Record<string, unknown>));
      if (!parsed.success) {
        if (mine === generation.current)
          setResult({ state: "invalid", errors: formatPlanInputErrors(parsed.error), ms: performance.now() - started });
        return;
      }
      try {
        const prices =
          priceLists.find((l) => l.cloud === parsed.data.cloud_provider && l.region === parsed.data.region) ?? null;
        // The engine (manifest builders, YAML, validators) is fetched on the first run, not with the form.
        const { generatePlan } = await import("@/lib/plans/generate-plan");
        const plan = await generatePlan(parsed.data, prices);
        // A newer keystroke started another run: its result wins, this one is stale.
        if (mine === generation.current) setResult({ state: "ok", plan, ms: performance.now() - started });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (mine === generation.current) setResult({ state: "failed", message, ms: performance.now() - started });
      }
    }, delayMs);
    return () => clearTimeout(timer);
    // `key` stands for kind and input: the form hands a new object on each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- kind and input are covered by key
  }, [key, delayMs, priceLists]);
  return result;
}
