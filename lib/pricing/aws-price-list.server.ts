import "server-only";
import { logger } from "@/lib/observability/logger";
import { awsFailureMessage, isRemoteAnswerError } from "./aws-failure";
import { paginateGetProducts, PricingClient } from "@aws-sdk/client-pricing";
import { ec2PriceFilters, parsePriceList, type ListedPrice } from "./aws-price-list";

export interface AwsPriceListSource {
  /** Region whose prices are read (the cluster's region), e.g. us-west-2. */
  region: string;
  /** A local endpoint in tests; unset in production (the Price List API's us-east-1 endpoint). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per page including throttled ones (the SDK backs off exponentially between them). */
  maxAttempts?: number;
}

/**
 * On-demand Linux prices of the instance types in the source's region from the AWS Price List API (GetProducts),
 * one filtered query per type, following NextToken; throttling is retried by the SDK's standard retry mode.
 */
export async function fetchAwsPrices(
  source: AwsPriceListSource,
  instanceTypes: readonly string[],
): Promise<{ prices: ListedPrice[]; skipped: string[]; pages: number }> {
  const client = new PricingClient({
    region: "us-east-1",
    endpoint: source.endpoint,
    credentials: source.credentials,
    maxAttempts: source.maxAttempts ?? 6,
    retryMode: "standard",
  });
  const documents: string[] = [];
  let pages = 0;
  try {
    for (const filters of ec2PriceFilters(source.region, instanceTypes)) {
      for await (const page of paginateGetProducts(
        { client, pageSize: 100 },
        { ServiceCode: "AmazonEC2", FormatVersion: "aws_v1", Filters: filters },
      )) {
        pages++;
        documents.push(...(page.PriceList ?? []).map(String));
      }
    }
  } catch (error) {
    if (!isRemoteAnswerError(error)) throw error;
    logger.warn(
      {
        err: error instanceof Error ? error.message : String(error),
        endpoint: source.endpoint ? new URL(source.endpoint).origin : "aws",
      },
      "AWS Price List GetProducts failed",
    );
    throw new Error(awsFailureMessage("AWS Price List GetProducts", error), { cause: error });
  } finally {
    client.destroy();
  }
  return { ...parsePriceList(documents, source.region), pages };
}
