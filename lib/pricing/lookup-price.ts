// Price tables per cloud, kept as data files so finance can review and update them without reading code.
// Pure: the JSON is bundled, nothing is fetched; safe in the browser.
import aws from "./aws.json";
import azure from "./azure.json";
import gcp from "./gcp.json";
import onPremise from "./on_premise.json";

export const cloudProviders = ["aws", "gcp", "azure", "on_premise"] as const;
export type CloudProvider = (typeof cloudProviders)[number];

export interface InstancePrice {
  instanceType: string;
  onDemandHourly: number;
  /** null where no spot market exists (on premises). */
  spotHourly: number | null;
  vcpu: number;
  memoryGib: number;
  gpuCount: number;
  gpuType: string | null;
  /** Where this one figure comes from and its date: entries of one table were written at different times. */
  source: string;
  asOf: string;
}

export interface PriceTable {
  cloud: CloudProvider;
  currency: string;
  region: string;
  pricesAsOf: string;
  source: string;
  hoursPerMonth: number;
  commitmentDiscount1yr: number;
  commitmentNote: string;
  instances: InstancePrice[];
}

interface RawEntry {
  on_demand_hourly: number;
  spot_hourly: number | null;
  vcpu: number;
  memory_gib: number;
  gpu_count: number;
  gpu_type: string | null;
  source?: string;
  as_of?: string;
}
interface RawTable {
  cloud: string;
  currency: string;
  region: string;
  prices_as_of: string;
  source: string;
  hours_per_month: number;
  commitment_discount_1yr: number;
  commitment_note: string;
  instance_types: Record<string, RawEntry>;
}

function toTable(raw: RawTable): PriceTable {
  return {
    cloud: raw.cloud as CloudProvider,
    currency: raw.currency,
    region: raw.region,
    pricesAsOf: raw.prices_as_of,
    source: raw.source,
    hoursPerMonth: raw.hours_per_month,
    commitmentDiscount1yr: raw.commitment_discount_1yr,
    commitmentNote: raw.commitment_note,
    instances: Object.entries(raw.instance_types).map(([instanceType, e]) => ({
      instanceType,
      onDemandHourly: e.on_demand_hourly,
      spotHourly: e.spot_hourly,
      vcpu: e.vcpu,
      memoryGib: e.memory_gib,
      gpuCount: e.gpu_count,
      gpuType: e.gpu_type,
      source: e.source ?? raw.source,
      asOf: e.as_of ?? raw.prices_as_of,
    })),
  };
}

const tables: Record<CloudProvider, PriceTable> = {
  aws: toTable(aws as RawTable),
  gcp: toTable(gcp as RawTable),
  azure: toTable(azure as RawTable),
  on_premise: toTable(onPremise as RawTable),
};

export function priceTable(cloud: CloudProvider): PriceTable {
  return tables[cloud];
}

/** The listed price of one instance type, or undefined when the table does not list it. */
export function lookupPrice(cloud: CloudProvider, instanceType: string): InstancePrice | undefined {
  return tables[cloud].instances.find((i) => i.instanceType === instanceType);
}

export function listInstanceTypes(cloud: CloudProvider): string[] {
  return tables[cloud].instances.map((i) => i.instanceType);
}
