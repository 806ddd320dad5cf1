// A local HTTP endpoint that answers Cost Explorer's GetCostAndUsage (awsJson1_1, X-Amz-Target
// AWSInsightsIndexService.GetCostAndUsage) in the documented response shape, with pagination and throttling.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface DoubleCostLine {
  day: string;
  service: string;
  tags: Record<string, string>;
  amount: number;
}

export interface CostExplorerDoubleOptions {
  lines: DoubleCostLine[];
  /** Groups per page; more groups than this produce a NextPageToken. */
  pageSize?: number;
  /** Answer this many requests with a ThrottlingException before serving (counted over the double's life). */
  throttleFirst?: number;
}

export interface CostExplorerDouble {
  endpoint: string;
  requests: { target: string; body: Record<string, unknown> }[];
  throttled: number;
  stop: () => Promise<void>;
}

interface GroupDef {
  Type: "DIMENSION" | "TAG" | "COST_CATEGORY";
  Key: string;
}

function keyOf(line: DoubleCostLine, g: GroupDef): string {
  if (g.Type === "DIMENSION" && g.Key === "SERVICE") return line.service;
  if (g.Type === "TAG") return `${g.Key}$${line.tags[g.Key] ?? ""}`;
  throw new Error(`the double supports SERVICE and TAG groupings, not ${g.Type}:${g.Key}`);
}

export async function startCostExplorerDouble(options: CostExplorerDoubleOptions): Promise<CostExplorerDouble> {
  const state: CostExplorerDouble = { endpoint: "", requests: [], throttled: 0, stop: async () => undefined };
  const pageSize = options.pageSize ?? 50;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": `req-${state.requests.length}`,
        });
        res.end(JSON.stringify(body));
      };
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      state.requests.push({ target, body });
      if (target !== "AWSInsightsIndexService.GetCostAndUsage")
        return send(400, { __type: "UnknownOperationException", message: `unsupported target ${target}` });
      if (state.throttled < (options.throttleFirst ?? 0)) {
        state.throttled++;
        return send(400, { __type: "ThrottlingException", message: "Rate exceeded" });
      }
      const period = body.TimePeriod as { Start: string; End: string };
      const groupBy = (body.GroupBy as GroupDef[] | undefined) ?? [];
      const metrics = (body.Metrics as string[] | undefined) ?? [];
      if (body.Granularity !== "DAILY" || !period?.Start || !period?.End || metrics.length === 0) {
        return send(400, {
          __type: "ValidationException",
          message: "TimePeriod, Granularity DAILY and Metrics are required",
        });
      }
      // Aggregate by (day, group keys), ordered by day then keys: pages slice this list.
      const sums = new Map<string, { day: string; keys: string[]; amount: number }>();
      for (const l of options.lines) {
        if (l.day < period.Start || l.day >= period.End) continue;
        const keys = groupBy.map((g) => keyOf(l, g));
        const k = JSON.stringify([l.day, keys]);
        const s = sums.get(k) ?? { day: l.day, keys, amount: 0 };
        s.amount += l.amount;
        sums.set(k, s);
      }
      const all = [...sums.values()].sort(
        (a, b) => a.day.localeCompare(b.day) || a.keys.join().localeCompare(b.keys.join()),
      );
      const offset = body.NextPageToken ? Number(Buffer.from(String(body.NextPageToken), "base64").toString()) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > all.length)
        return send(400, { __type: "InvalidNextTokenException", message: "bad token" });
      const page = all.slice(offset, offset + pageSize);
      const days = [...new Set(page.map((p) => p.day))];
      const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      send(200, {
        GroupDefinitions: groupBy,
        ResultsByTime: days.map((day) => ({
          TimePeriod: { Start: day, End: next(day) },
          Total: {},
          Groups: page
            .filter((p) => p.day === day)
            .map((p) => ({
              Keys: p.keys,
              Metrics: Object.fromEntries(metrics.map((m) => [m, { Amount: p.amount.toFixed(10), Unit: "USD" }])),
            })),
          Estimated: false,
        })),
        DimensionValueAttributes: [],
        ...(offset + pageSize < all.length
          ? { NextPageToken: Buffer.from(String(offset + pageSize)).toString("base64") }
          : {}),
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () => new Promise((r) => server.close(() => r()));
  return state;
}
