"use client";
// "Simulate against traffic": replays a trace (an uploaded CSV, the deployment's request-rate history from the
// configured Prometheus, or the synthetic demo hour) through up to four
// profiles, the `reference` preset and, on request, the recommended profile, all in the browser with the pure
// simulator; a chart of the chosen profile and a table of every profile's numbers.
import dynamic from "next/dynamic";
import { useDeferredValue, useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import { explainProfile } from "@/lib/scaling/explain-profile";
import { parseTrace } from "@/lib/scaling/parse-trace";
import type { RecommendScalingInput, ScalingRecommendation } from "@/lib/scaling/recommend-profile";
import { defaultServiceModel, type ScalingProfile, type ServiceModel } from "@/lib/scaling/schema";
import type { Traffic } from "@/lib/scaling/traffic";
import { Button, buttonClass } from "@/components/ui/button";
import { ClusterHistoryForm, type ClusterHistoryDefaults } from "./cluster-history-form";
import type { SimulateRowsInput, SimulateRowsOutput } from "./simulate-rows";
import { SimulationTable, type SimulationRow } from "./simulation-table";

// recharts and the simulator are most of the page's JavaScript: the chart loads after first paint, and the
// simulator (which normally runs in a worker) only on the no-worker path.
const SimulationChart = dynamic(() => import("./simulation-chart").then((m) => m.SimulationChart), {
  ssr: false,
  loading: () => <div className="skeleton chart-440" />,
});

export interface SimulationPanelProps {
  profiles: ScalingProfile[];
  sloP99Ms: number;
  onUseRecommended?: (profile: ScalingProfile) => void;
  service?: ServiceModel;
  /** Where "Cluster history" looks first: the form's namespace and model server, else the plan defaults. */
  historyDefaults?: ClusterHistoryDefaults;
}

type TraceState =
  | { source: "demo" }
  | { source: "upload" | "history"; name: string; traffic: Traffic }
  | { source: "error"; name: string; error: string };

const planDefaults: ClusterHistoryDefaults = { namespace: "ml-inference", service: "model-server" };

export function SimulationPanel({
  profiles,
  sloP99Ms,
  onUseRecommended,
  service = defaultServiceModel,
  historyDefaults = planDefaults,
}: SimulationPanelProps) {
  const [trace, setTrace] = useState<TraceState>({ source: "demo" });
  const [historyOpen, setHistoryOpen] = useState(false);
  const [selected, setSelected] = useState<string>("reference");
  const [recommendation, setRecommendation] = useState<{ key: string; value: ScalingRecommendation } | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  // Typing in the form re-simulates; deferring keeps the inputs responsive while it runs.
  const deferredProfiles = useDeferredValue(profiles);

  const uploaded = trace.source === "upload" || trace.source === "history" ? trace.traffic : null;
  const traceKey = uploaded
    ? `${trace.source}:${"name" in trace ? trace.name : ""}:${uploaded.arrivals.length}`
    : "demo";
  const searchKey = `${traceKey}|${sloP99Ms}|${JSON.stringify(service)}`;
  const currentRecommendation = recommendation?.key === searchKey ? recommendation.value : null;
  // Simulated in a worker after the page is interactive; the demo hour comes back from the first run.
  const simulated = useSimulations({
    profiles: deferredProfiles,
    traffic: uploaded,
    service,
    sloP99Ms,
    reference: currentRecommendation?.reference ?? null,
  });
  const demo = simulated?.demo ?? null;
  const traffic = uploaded ?? demo;

  const rows = useMemo<SimulationRow[]>(() => {
    if (!simulated) return [];
    return currentRecommendation
      ? [
          ...simulated.rows,
          { key: "recommended", label: "recommended", kind: "recommended", result: currentRecommendation.recommended },
        ]
      : simulated.rows;
  }, [simulated, currentRecommendation]);

  const chosen = rows.find((r) => r.key === selected && r.result) ?? rows.find((r) => r.result);
  const reference = rows.find((r) => r.kind === "reference")?.result;
  const explanation = useMemo(
    () =>
      chosen?.result && traffic
        ? explainProfile({
            profile: chosen.result.profile,
            result: chosen.result,
            traffic,
            service,
            sloP99Ms,
            sloLatency: "ttft",
          })
        : [],
    [chosen, traffic, service, sloP99Ms],
  );

  async function onUpload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const parsed = parseTrace(await file.text());
    setTrace(
      parsed.ok
        ? { source: "upload", name: file.name, traffic: parsed.traffic }
        : { source: "error", name: file.name, error: parsed.error },
    );
  }

  async function runSearch() {
    if (!traffic) return;
    setSearching(true);
    setSearchError(null);
    try {
      setRecommendation({ key: searchKey, value: await searchProfiles({ traffic, service, sloP99Ms }) });
      setSelected("recommended");
    } catch (error) {
      setSearchError(error instanceof Error ? error.message : String(error));
    } finally {
      setSearching(false);
    }
  }

  return (
    <section className="card stack-12" aria-labelledby="simulation-panel-title">
      <div className="row">
        <h2 className="flush" id="simulation-panel-title">
          Simulate against traffic
        </h2>
        <span className="spacer grow" />
        <label className={buttonClass()}>
          Upload trace (CSV)
          <input
            type="file"
            accept=".csv,text/csv"
            className="visually-hidden"
            onChange={onUpload}
            aria-describedby="trace-help"
          />
        </label>
        <Button
          onClick={() => setHistoryOpen((open) => !open)}
          aria-expanded={historyOpen}
          aria-controls="cluster-history"
        >
          Cluster history
        </Button>
        <Button onClick={() => setTrace({ source: "demo" })} disabled={trace.source === "demo"}>
          Use demo trace
        </Button>
        <Button
          variant="primary"
          onClick={runSearch}
          disabled={!traffic}
          loading={searching}
          loadingText="Searching profiles…"
        >
          Find the cheapest profile
        </Button>
      </div>
      {historyOpen && (
        <div id="cluster-history" className="card stack-8">
          <p className="help flush">
            Replays the deployment&apos;s request rate per minute from the Prometheus configured in Settings (the model
            server&apos;s <code>vllm:request_success_total</code> or <code>nv_inference_request_success</code>, which
            the plan&apos;s PodMonitor has Prometheus scrape).
          </p>
          <ClusterHistoryForm
            defaults={historyDefaults}
            onLoaded={(name, loaded) => {
              setTrace({ source: "history", name, traffic: loaded });
              setHistoryOpen(false);
            }}
          />
        </div>
      )}
      <p id="trace-help" className="help flush text-muted" data-testid="trace-help">
        {(trace.source === "upload" || trace.source === "history") && uploaded
          ? `${trace.source === "upload" ? "Trace" : "Cluster history"} ${trace.name}: ${uploaded.arrivals.length.toLocaleString()} requests over ${Math.round(uploaded.durationSeconds / 60)} min.`
          : `Demo trace: a synthetic hour of LLM traffic${demo ? ` (${demo.arrivals.length.toLocaleString()} requests)` : ""}. Upload TIMESTAMP,ContextTokens,GeneratedTokens or timestamp,requests_per_second.`}{" "}
        SLO: p99 {!traffic || traffic.contextTokens ? "time to first token" : "latency"} ≤ {sloP99Ms} ms.
      </p>
      {searchError && (
        <div role="alert" className="alert alert-danger">
          The search failed: {searchError}
        </div>
      )}
      {trace.source === "error" && (
        <div role="alert" className="alert alert-danger">
          {trace.name}: {trace.error}
        </div>
      )}
      {chosen?.result && reference && (
        <p className="stat flush">
          <strong>{chosen.label}</strong>: {chosen.result.gpuHours.toFixed(2)} GPU-hours (
          {percentChange(chosen.result.gpuHours, reference.gpuHours)} vs reference), {chosen.result.sloViolationMinutes}{" "}
          min over the SLO
          {currentRecommendation && ` · oracle ${currentRecommendation.oracleGpuHours.toFixed(2)} GPU-hours`}
        </p>
      )}
      {explanation.length > 0 && (
        <div className="card" aria-labelledby="why-title" data-testid="profile-explanation">
          <h3 className="flush" id="why-title">
            Why {chosen?.label} holds these replicas
          </h3>
          <ul className="flush mt-4">
            {explanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {chosen?.result && <SimulationChart result={chosen.result} sloP99Ms={sloP99Ms} title={chosen.label} />}
      {!simulated && (
        <p className="help" role="status" aria-busy="true" data-testid="simulating">
          Simulating the profiles on the trace…
        </p>
      )}
      {simulated && (
        <SimulationTable
          rows={rows}
          selected={chosen?.key}
          onSelect={setSelected}
          oracleGpuHours={currentRecommendation?.oracleGpuHours}
          bounds={currentRecommendation?.bounds}
          robustness={currentRecommendation?.robustness}
          onUseRecommended={onUseRecommended}
        />
      )}
    </section>
  );
}

/**
 * The panel's simulations (simulate-rows.ts), run in a worker so neither hydration nor typing waits for them; where
 * workers are unavailable (tests, old browsers) they run here after the page has painted. A newer input replaces
 * an older one still running. Null until the first result.
 */
function useSimulations(input: SimulateRowsInput): SimulateRowsOutput | null {
  const [output, setOutput] = useState<SimulateRowsOutput | null>(null);
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  useEffect(() => () => worker.current?.terminate(), []);
  const { profiles, traffic, service, sloP99Ms, reference } = input;
  useEffect(() => {
    const id = ++latest.current;
    const request: SimulateRowsInput = { profiles, traffic, service, sloP99Ms, reference };
    const accept = (value: SimulateRowsOutput) => {
      if (id === latest.current) setOutput(value);
    };
    if (typeof Worker === "undefined") {
      void import("./simulate-rows").then(({ simulateRows }) => accept(simulateRows(request)));
      return;
    }
    worker.current ??= new Worker(new URL("./simulate.worker.ts", import.meta.url));
    const current = worker.current;
    const onMessage = (
      event: MessageEvent<
        { id: number; ok: true; value: SimulateRowsOutput } | { id: number; ok: false; error: string }
      >,
    ) => {
      if (event.data.id !== id) return;
      // A failure here is a bug in the simulator, not in the input (an invalid profile is a row): show it as one.
      accept(
        event.data.ok
          ? event.data.value
          : { rows: [{ key: "error", label: "simulation", kind: "reference", error: event.data.error }], demo: null },
      );
    };
    current.addEventListener("message", onMessage);
    current.postMessage({ id, input: request });
    return () => current.removeEventListener("message", onMessage);
  }, [profiles, traffic, service, sloP99Ms, reference]);
  return output;
}

// The search takes about a second of CPU for an hour of traffic: a worker keeps the page responsive. Where
// workers are unavailable (tests, old browsers) it runs here after the "searching" state has painted.
function searchProfiles(input: RecommendScalingInput): Promise<ScalingRecommendation> {
  if (typeof Worker === "undefined") {
    return import("@/lib/scaling/recommend-profile").then(
      ({ recommendProfile }) =>
        new Promise((resolve, reject) =>
          setTimeout(() => {
            try {
              resolve(recommendProfile({ ...input, clock: () => performance.now() }));
            } catch (error) {
              reject(error);
            }
          }, 30),
        ),
    );
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./recommend.worker.ts", import.meta.url));
    worker.onmessage = (
      event: MessageEvent<{ ok: true; value: ScalingRecommendation } | { ok: false; error: string }>,
    ) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.value);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the search worker stopped"));
    };
    worker.postMessage(input);
  });
}

function percentChange(value: number, base: number): string {
  if (base === 0) return "n/a";
  const change = ((value - base) / base) * 100;
  return `${change > 0 ? "+" : ""}${change.toFixed(0)} %`;
}
