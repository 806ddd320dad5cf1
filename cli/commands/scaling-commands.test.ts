import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateSyntheticTrace, traceToAzureCsv } from "@/lib/scaling/synthetic-trace";
import { recommendScalingCommand } from "./recommend-scaling";
import { simulateCommand } from "./simulate";

let dir: string;
let trace: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scaling-cli-"));
  trace = path.join(dir, "trace.csv");
  fs.writeFileSync(
    trace,
    traceToAzureCsv(generateSyntheticTrace({ seed: 9, durationSeconds: 900, meanRequestsPerSecond: 3 })),
  );
});

afterEach(() => vi.restoreAllMocks());

async function capture(run: () => Promise<number>) {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await run();
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe("simulate", () => {
  it("prints the reference preset's result with its series", async () => {
    const out = await capture(() => simulateCommand.run(["--trace", trace, "--profile", "reference"]));
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.profile.name).toBe("reference");
    for (const key of ["gpuHours", "costUsd", "p50LatencyMs", "p99LatencyMs", "sloViolationMinutes", "scaleEvents"]) {
      expect(typeof json[key]).toBe("number");
    }
    expect(json.series.length).toBe(61); // one sample per HPA sync, 0 s to 900 s inclusive
  });

  it.each([
    [["--profile", "reference"], /--trace: missing/],
    [["--trace", "/no/such.csv"], /--trace: cannot read/],
    [["--trace", "TRACE", "--slo-p99-ms", "-5"], /--slo-p99-ms: "-5" is not a number above 0/],
    [["--trace", "TRACE", "--profile", "PROFILE"], /profile.maxReplicas: maxReplicas \(1\) is below minReplicas \(4\)/],
    [
      ["--trace", "TRACE", "--service", "SERVICE"],
      /service.maxConcurrentSequences: maxConcurrentSequences must be at least 1/,
    ],
    [["--trace", "TRACE", "--bogus", "1"], /--bogus is not an option/],
    [
      ["--trace", "TRACE", "--service", "OLD_SERVICE"],
      /service.decodeTokensPerSecond: decodeTokensPerSecond is no longer read: give decodeStepsPerSecond/,
    ],
  ])("exits 2 naming the field for %j", async (args, message) => {
    const profile = path.join(dir, "bad-profile.json");
    fs.writeFileSync(
      profile,
      JSON.stringify({
        name: "bad",
        minReplicas: 4,
        maxReplicas: 1,
        triggers: [{ type: "queue_depth", threshold: 1 }],
      }),
    );
    const service = path.join(dir, "bad-service.json");
    fs.writeFileSync(service, JSON.stringify({ maxConcurrentSequences: 0 }));
    // A service file from before the step model: its decode throughput must not be dropped silently.
    const oldService = path.join(dir, "old-service.json");
    fs.writeFileSync(oldService, JSON.stringify({ decodeTokensPerSecond: 256, maxConcurrentSequences: 16 }));
    const files: Record<string, string> = { TRACE: trace, PROFILE: profile, SERVICE: service, OLD_SERVICE: oldService };
    const argv = args.map((a) => files[a] ?? a);
    const out = await capture(() => simulateCommand.run(argv));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe("");
  });

  it("simulates a profile file on a request-rate trace with a requests service model", async () => {
    const rates = path.join(dir, "rates.csv");
    fs.writeFileSync(
      rates,
      [
        "timestamp,requests_per_second",
        ...Array.from({ length: 20 }, (_, i) => `${1700000000 + i * 60},${i < 10 ? 5 : 40}`),
      ].join("\n"),
    );
    const profile = path.join(dir, "profile.json");
    fs.writeFileSync(
      profile,
      JSON.stringify({
        name: "rps",
        minReplicas: 1,
        maxReplicas: 20,
        triggers: [{ type: "queue_depth", threshold: 2 }],
      }),
    );
    const service = path.join(dir, "service.json");
    fs.writeFileSync(
      service,
      JSON.stringify({
        kind: "requests",
        requestsPerSecondPerReplica: 10,
        maxConcurrentRequests: 2,
        startupDelaySeconds: 30,
      }),
    );
    const out = await capture(() =>
      simulateCommand.run(["--trace", rates, "--profile", profile, "--service", service, "--no-series"]),
    );
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.profile.name).toBe("rps");
    // 10 minutes at 5 req/s and 10 at 40 req/s: 3000 + 24000 requests.
    expect(json.requests).toBe(27000);
    expect(json.scaleEvents).toBeGreaterThan(0);
    expect(json.series).toBeUndefined();
  });

  it.each([
    [
      "1e15 requests per second",
      "timestamp,requests_per_second\n1700000000,1e15\n1700000060,1\n",
      /trace holds 6\.00e\+16 requests, more than the limit of 2000000/,
    ],
    [
      "a span of 1e9 s",
      "timestamp,requests_per_second\n1700000000,0\n2700000000,0\n",
      /trace spans 2\.00e\+9 s, more than the limit of 691200 s/,
    ],
    [
      "LLM requests over 1e9 s",
      "TIMESTAMP,ContextTokens,GeneratedTokens\n1000000000,10,5\n2000000000,10,5\n",
      /trace spans 1\.00e\+9 s, more than the limit of 691200 s/,
    ],
  ])(
    "exits 2 naming the limit for a trace of %s, for both commands (instead of running out of memory)",
    async (_name, csv, message) => {
      const huge = path.join(dir, "huge.csv");
      fs.writeFileSync(huge, csv);
      for (const command of [simulateCommand, recommendScalingCommand]) {
        const out = await capture(() => command.run(["--trace", huge, "--slo-p99-ms", "2000"]));
        expect(out.code).toBe(2);
        expect(out.stderr).toMatch(message);
        expect(out.stdout).toBe("");
      }
    },
  );

  it("exits 2 with the line number for a malformed trace", async () => {
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(
      bad,
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,5\n2023-11-16 18:15:47,10\n",
    );
    const out = await capture(() => simulateCommand.run(["--trace", bad]));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/line 3: expected 3 columns/);
  });
});

describe("recommend-scaling", () => {
  it("prints recommended, reference and the oracle's GPU-hours", async () => {
    const out = await capture(() => recommendScalingCommand.run(["--trace", trace, "--slo-p99-ms", "2000"]));
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.reference.profile.name).toBe("reference");
    expect(json.recommended.profile.name).toBe("recommended");
    expect(json.recommended.gpuHours).toBeLessThan(json.reference.gpuHours);
    expect(json.oracleGpuHours).toBeGreaterThan(0);
    expect(json.recommended.series).toBeUndefined();
    // Today's fields stay; the bounds come beside them, each with the recommendation's ratio.
    for (const key of ["gpuHours", "sloViolationMinutes"]) expect(typeof json.recommended[key]).toBe("number");
    expect(json.unavoidableViolationMinutes).toBeGreaterThanOrEqual(0);
    expect(json.bounds.oracle.gpuHours).toBe(json.oracleGpuHours);
    expect(json.bounds.clairvoyant.gpuHours).toBeGreaterThanOrEqual(json.bounds.oracle.gpuHours);
    expect(json.bounds.bestFixed.replicas).toBeGreaterThan(0);
    expect(json.recommended.gpuHours).toBeLessThanOrEqual(json.bounds.bestFixed.gpuHours);
    expect(json.bounds.bestFixed.ratio).toBeCloseTo(json.recommended.gpuHours / json.bounds.bestFixed.gpuHours, 2);
    expect(json.sloLatency).toBe("ttft");
    // The reference's 200 ms trigger is below the prefill floor: the output says so.
    expect(json.reference.explanation.join("\n")).toMatch(
      /The 200 ms latency trigger is below the [\d,.]+ (ms|s) prefill floor/,
    );
  }, 60_000);

  it("refuses an SLO latency that is neither ttft nor e2e, naming the flag", async () => {
    const out = await capture(() =>
      recommendScalingCommand.run(["--trace", trace, "--slo-p99-ms", "2000", "--slo-latency", "p50"]),
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--slo-latency: "p50" is not ttft \(time to first token\) or e2e/);
  });

  it("requires --slo-p99-ms", async () => {
    const out = await capture(() => recommendScalingCommand.run(["--trace", trace]));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--slo-p99-ms: missing/);
  });
});

describe("traffic from Prometheus: flags", () => {
  it.each([
    { argv: ["--namespace", "ml-inference"], message: "--namespace: only with --from-prometheus URL" },
    {
      argv: ["--from-prometheus", "http://prometheus.example:9090", "--trace", "t.csv"],
      message: "give one traffic source, not both",
    },
    {
      argv: ["--from-prometheus", "http://prometheus.example:9090", "--namespace", "ml"],
      message: "--model-server: missing",
    },
    {
      argv: [
        "--from-prometheus",
        "http://prometheus.example:9090",
        "--namespace",
        "ml",
        "--model-server",
        "m",
        "--hours",
        "200",
      ],
      message: '--hours: "200" is not a whole number of hours from 1 to 168',
    },
    {
      argv: [
        "--from-prometheus",
        "http://169.254.169.254/",
        "--namespace",
        "ml",
        "--model-server",
        "m",
        "--allow",
        "169.254.169.254:80",
      ],
      message:
        '--allow: "169.254.169.254:80" is inside a range that is link-local (cloud instance metadata lives at 169.254.169.254), which is never fetched, so listing it has no effect',
    },
    {
      argv: [
        "--from-prometheus",
        "http://169.254.169.254/",
        "--namespace",
        "ml",
        "--model-server",
        "m",
        "--allow",
        "10.0.0.0/8:80",
      ],
      message:
        "link-local (cloud instance metadata lives at 169.254.169.254), which is never fetched, even when listed",
    },
    {
      argv: ["--from-prometheus", "http://prometheus.example:9090", "--namespace", "ml", "--model-server", "m"],
      message:
        "prometheus.example port 9090 is not on the URL allow-list: add it to --allow as prometheus.example:9090",
    },
    {
      argv: [
        "--from-prometheus",
        "http://prometheus.example:9090",
        "--namespace",
        "ml",
        "--model-server",
        "m",
        "--allow",
        "prometheus.example",
      ],
      message: '--allow: "prometheus.example" has no port',
    },
  ])("exits 2 naming the flag: $message", async ({ argv, message }) => {
    const out = await capture(() => simulateCommand.run(argv));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stdout).toBe("");
  });
});

describe("recommend-scaling within the replica limit", () => {
  it("exits 2 naming the limit, quickly, when no profile of at most 1000 replicas can serve the trace", async () => {
    const heavy = path.join(dir, "heavy.csv");
    fs.writeFileSync(heavy, "timestamp,requests_per_second\n0,900000\n1,900000\n");
    const started = Date.now();
    const out = await capture(() => recommendScalingCommand.run(["--trace", heavy, "--slo-p99-ms", "2000"]));
    const seconds = (Date.now() - started) / 1000;
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /--trace: minute 1 of the trace needs more than 1000 replicas \(the most maxReplicas allows\)/,
    );
    expect(out.stdout).toBe("");
    // Searching counts far above the limit took 70 s; a few seconds on a loaded machine is the bound here.
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});
