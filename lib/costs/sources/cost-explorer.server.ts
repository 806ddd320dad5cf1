import "server-only";
import { logger } from "@/lib/observability/logger";
import { awsFailureMessage, isRemoteAnswerError } from "@/lib/pricing/aws-failure";
import { CostExplorerClient, GetCostAndUsageCommand, type GroupDefinition } from "@aws-sdk/client-cost-explorer";
import { policyAgents, type ResolveHost } from "@/lib/net/policy-fetch.server";
import { costLinesFromResults, type CostLine, type GroupDim } from "./cost-explorer-rows";

export interface CostExplorerSource {
  region: string;
  /** A Cost Explorer-compatible endpoint instead of AWS's own (a local double in tests). */
  endpoint?: string;
  /** The URL allow-list a custom endpoint must pass, as saved and at every connection. */
  allow?: readonly string[];
  /** DNS for the endpoint's host (tests play a DNS server). */
  resolve?: ResolveHost;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  teamTagKey: string;
  workloadTagKey: string;
  /** Attempts per page including throttled ones (the SDK backs off exponentially between them). */
  maxAttempts?: number;
}

// Each GetCostAndUsage call is billed, so identical requests within an hour are answered from memory. Dashboards
// never call this: only the ingestion job does, and it stores the lines in CostDaily.
const memo = new Map<string, { at: number; lines: CostLine[] }>();
const MEMO_MS = 3_600_000;

export function clearCostExplorerMemo(): void {
  memo.clear();
}

/**
 * Daily unblended cost for [start, end) (YYYY-MM-DD, end exclusive), twice: grouped by service × team tag and by
 * team tag × workload-type tag (Cost Explorer allows two group keys per call). Follows NextPageToken.
 */
export async function fetchDailyCosts(
  source: CostExplorerSource,
  start: string,
  end: string,
  now = Date.now(),
): Promise<{ lines: CostLine[]; calls: number }> {
  const client = new CostExplorerClient({
    region: source.region,
    endpoint: source.endpoint,
    // The SDK opens its own connections: its agents get the URL policy's connect-time check. AWS's own endpoint
    // (no endpoint set) is chosen by the SDK from the validated region, so it needs no listing.
    ...(source.endpoint
      ? {
          requestHandler: policyAgents(
            source.endpoint,
            { allow: source.allow ?? [], resolve: source.resolve },
            "awsEndpoint",
          ),
        }
      : {}),
    credentials: source.credentials,
    maxAttempts: source.maxAttempts ?? 6,
    retryMode: "standard",
  });
  const tag = (Key: string): GroupDefinition => ({ Type: "TAG", Key });
  const groupings: { dims: [GroupDim, GroupDim]; groupBy: GroupDefinition[] }[] = [
    { dims: ["service", "team"], groupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, tag(source.teamTagKey)] },
    { dims: ["team", "workloadType"], groupBy: [tag(source.teamTagKey), tag(source.workloadTagKey)] },
  ];
  const lines: CostLine[] = [];
  let calls = 0;
  try {
    for (const g of groupings) {
      const memoKey = JSON.stringify([source.region, source.endpoint, start, end, g.groupBy]);
      const hit = memo.get(memoKey);
      if (hit && now - hit.at < MEMO_MS) {
        lines.push(...hit.lines);
        continue;
      }
      const got: CostLine[] = [];
      let token: string | undefined;
      do {
        const res = await client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: start, End: end },
            Granularity: "DAILY",
            Metrics: ["UnblendedCost"],
            GroupBy: g.groupBy,
            NextPageToken: token,
          }),
        );
        calls++;
        got.push(...costLinesFromResults(res.ResultsByTime ?? [], g.dims));
        token = res.NextPageToken || undefined;
      } while (token);
      memo.set(memoKey, { at: now, lines: got });
      lines.push(...got);
    }
  } catch (error) {
    if (!isRemoteAnswerError(error)) throw error;
    logger.warn(
      {
        err: error instanceof Error ? error.message : String(error),
        endpoint: source.endpoint ? new URL(source.endpoint).origin : "aws",
      },
      "AWS Cost Explorer GetCostAndUsage failed",
    );
    throw new Error(awsFailureMessage("AWS Cost Explorer GetCostAndUsage", error), { cause: error });
  } finally {
    client.destroy();
  }
  return { lines, calls };
}
