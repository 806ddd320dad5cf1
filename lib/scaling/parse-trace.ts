// Parses uploaded traffic traces. Two formats, told apart by the header:
// - the public Azure LLM inference trace: TIMESTAMP,ContextTokens,GeneratedTokens (one row per request)
// - a request-rate history: timestamp,requests_per_second (one row per interval)
// Timestamps are ISO-8601 / "YYYY-MM-DD hh:mm:ss.fffffff" (read as UTC) or epoch seconds.
import { TraceBoundsError, traceBoundsError, trafficFromRateSeries, type RatePoint, type Traffic } from "./traffic";

export const maxTraceBytes = 64 * 1024 * 1024;
export const maxTraceRows = 2_000_000;

export type TraceFormat = "azure-llm" | "request-rate";
export type ParseTraceResult = { ok: true; format: TraceFormat; traffic: Traffic } | { ok: false; error: string };

const azureHeader = ["timestamp", "contexttokens", "generatedtokens"];
const rateHeader = ["timestamp", "requests_per_second"];

export function parseTrace(text: string): ParseTraceResult {
  if (text.length > maxTraceBytes) {
    return { ok: false, error: `trace is larger than ${maxTraceBytes / 1024 / 1024} MiB: cut it to a shorter window` };
  }
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "")
    .replace(/^\uFEFF/, "")
    .split(",")
    .map((h) => h.trim().toLowerCase());
  const isAzure = sameColumns(header, azureHeader);
  const isRate = sameColumns(header, rateHeader);
  if (!isAzure && !isRate) {
    return {
      ok: false,
      error: `line 1: header "${lines[0] ?? ""}" is not a known trace format: use TIMESTAMP,ContextTokens,GeneratedTokens or timestamp,requests_per_second`,
    };
  }
  let rows = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim() !== "") rows++;
  if (rows === 0) return { ok: false, error: "trace has a header but no rows: add at least one row" };
  if (rows > maxTraceRows)
    return { ok: false, error: `trace has ${rows} rows, more than ${maxTraceRows}: cut it to a shorter window` };
  return isAzure ? parseAzure(lines, rows) : parseRate(lines);
}

function sameColumns(header: string[], expected: string[]): boolean {
  return header.length === expected.length && header.every((h, i) => h === expected[i]);
}

function parseAzure(lines: string[], rows: number): ParseTraceResult {
  const times = new Float64Array(rows);
  const context = new Float64Array(rows);
  const generated = new Float64Array(rows);
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line!.trim() === "") continue;
    const cells = line!.split(",");
    const where = `line ${i + 1}`;
    if (cells.length !== 3)
      return {
        ok: false,
        error: `${where}: expected 3 columns (TIMESTAMP,ContextTokens,GeneratedTokens), found ${cells.length}`,
      };
    const t = parseTimestamp(cells[0]!);
    if (t === null)
      return {
        ok: false,
        error: `${where}: TIMESTAMP "${cells[0]}" is not a date: use e.g. 2023-11-16 18:15:46.68 or epoch seconds`,
      };
    const c = Number(cells[1]);
    const g = Number(cells[2]);
    if (!Number.isFinite(c) || c < 0)
      return { ok: false, error: `${where}: ContextTokens "${cells[1]}" must be a number of 0 or more` };
    if (!Number.isFinite(g) || g < 0)
      return { ok: false, error: `${where}: GeneratedTokens "${cells[2]}" must be a number of 0 or more` };
    if (n > 0 && t < times[n - 1]! - 1e-6) {
      return { ok: false, error: `${where}: TIMESTAMP goes back in time: sort the trace by TIMESTAMP` };
    }
    times[n] = t;
    context[n] = c;
    generated[n] = g;
    n++;
  }
  const bounds = traceBoundsError(n, times[n - 1]! - times[0]!);
  if (bounds) return { ok: false, error: bounds };
  const start = Math.floor(times[0]!);
  const arrivals = times.map((t) => t - start);
  return {
    ok: true,
    format: "azure-llm",
    traffic: {
      arrivals,
      contextTokens: context,
      generatedTokens: generated,
      // Whole minutes, so that per-minute figures are over full minutes.
      durationSeconds: Math.max(60, Math.ceil((arrivals[n - 1]! + 1e-9) / 60) * 60),
      startEpochMs: start * 1000,
    },
  };
}

function parseRate(lines: string[]): ParseTraceResult {
  const points: RatePoint[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line!.trim() === "") continue;
    const cells = line!.split(",");
    const where = `line ${i + 1}`;
    if (cells.length !== 2)
      return {
        ok: false,
        error: `${where}: expected 2 columns (timestamp,requests_per_second), found ${cells.length}`,
      };
    const t = parseTimestamp(cells[0]!);
    if (t === null)
      return { ok: false, error: `${where}: timestamp "${cells[0]}" is not a date: use ISO-8601 or epoch seconds` };
    const r = Number(cells[1]);
    if (cells[1]!.trim() === "" || !Number.isFinite(r) || r < 0) {
      return { ok: false, error: `${where}: requests_per_second "${cells[1]}" must be a number of 0 or more` };
    }
    if (points.length && t <= points[points.length - 1]!.timestamp) {
      return { ok: false, error: `${where}: timestamp does not increase: sort the rows and remove duplicates` };
    }
    points.push({ timestamp: t, requestsPerSecond: r });
  }
  try {
    return { ok: true, format: "request-rate", traffic: trafficFromRateSeries(points) };
  } catch (error) {
    if (error instanceof TraceBoundsError) return { ok: false, error: error.message };
    throw error;
  }
}

// Epoch seconds, or a date read as UTC. Sub-millisecond digits ("46.6805900") are kept.
function parseTimestamp(raw: string): number | null {
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!);
  if (Number.isNaN(ms) || +mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31 || +h! > 23 || +mi! > 59 || +se! > 60)
    return null;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms / 1000 + (frac ? Number(frac) : 0);
}
