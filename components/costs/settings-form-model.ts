// Pure helpers of the Settings page: cost settings to form values and back, budgets typed as text, and field
// errors (the browser's zod issues or the API's 422 `fields`) put on the field they belong to. Browser-safe: no I/O.
import { modelServerPresets, modelServers } from "@/lib/costs/sources/model-servers";
import { costSettingsSchema, type CostSettings, type CostSource } from "@/lib/costs/schema";
import { fieldErrorsFromIssues, type FieldError } from "@/lib/errors/domain-error";
import type { LabelPreset } from "@/lib/costs/sources/label-mapping";
import type { CloudProvider } from "@/lib/pricing/lookup-price";

export type ModelServerChoice = (typeof modelServers)[number];

/** What the form holds: text where people type, so nothing they typed is lost while it is still invalid. */
export interface CostSettingsFormValues {
  sources: CostSource[];
  cloud: CloudProvider;
  prometheusUrl: string;
  modelServer: ModelServerChoice;
  awsRegion: string;
  awsEndpoint: string;
  clusterRegion: string;
  livePrices: boolean;
  priceApiEndpoint: string;
  teamTagKey: string;
  workloadTagKey: string;
  labelPreset: LabelPreset;
  nodePoolLabelKey: string;
  capacityTypeLabelKey: string;
  instanceTypeLabelKey: string;
  staleAfterHours: string;
}
export type CostSettingsField = keyof CostSettingsFormValues;

/** The fields in the order the form shows them: the first invalid one in this order gets the focus. */
export const costSettingsFields: readonly CostSettingsField[] = [
  "sources",
  "cloud",
  "prometheusUrl",
  "modelServer",
  "awsRegion",
  "awsEndpoint",
  "clusterRegion",
  "livePrices",
  "priceApiEndpoint",
  "teamTagKey",
  "workloadTagKey",
  "labelPreset",
  "nodePoolLabelKey",
  "capacityTypeLabelKey",
  "instanceTypeLabelKey",
  "staleAfterHours",
];

export interface FormFieldError {
  field: CostSettingsField;
  message: string;
}

export function formValuesFromSettings(s: CostSettings): CostSettingsFormValues {
  return {
    sources: [...s.sources],
    cloud: s.cloud,
    prometheusUrl: s.prometheusUrl ?? "",
    modelServer: s.modelServer,
    awsRegion: s.awsRegion,
    awsEndpoint: s.awsEndpoint ?? "",
    clusterRegion: s.clusterRegion ?? "",
    livePrices: s.livePrices,
    priceApiEndpoint: s.priceApiEndpoint ?? "",
    teamTagKey: s.teamTagKey,
    workloadTagKey: s.workloadTagKey,
    labelPreset: s.labelPreset,
    nodePoolLabelKey: s.nodePoolLabelKey ?? "",
    capacityTypeLabelKey: s.capacityTypeLabelKey ?? "",
    instanceTypeLabelKey: s.instanceTypeLabelKey ?? "",
    staleAfterHours: String(s.staleAfterHours),
  };
}

// zod's generic wording ("Invalid string: must match pattern …") tells an admin little; these say what to type.
// Fields whose schema already carries a message (prometheusUrl, modelServer) keep it.
const clearerMessages: Partial<Record<CostSettingsField, string>> = {
  sources: "Pick at least one source.",
  awsRegion: "Enter a region code like us-east-1 (lower-case letters, digits and dashes).",
  awsEndpoint: "Enter a URL like https://ce.us-east-1.amazonaws.com, or leave it empty for AWS's own endpoint.",
  teamTagKey: "Enter the cost allocation tag key that holds the team, e.g. team (1–128 characters).",
  workloadTagKey:
    "Enter the cost allocation tag key that holds the workload type, e.g. workload-type (1–128 characters).",
  clusterRegion: "Enter the region code the GPU cluster runs in, like us-west-2, or leave it empty.",
  staleAfterHours: "Enter a whole number of hours from 1 to 336 (14 days), e.g. 3.",
};

/**
 * The body for PUT /api/v1/costs/settings, validated with the API's own schema; or the errors per field.
 * The server checks more (a Prometheus source needs a URL, the URLs must pass the URL allow-list): its 422 goes
 * through `formErrorsFromApi`.
 */
export function settingsFromFormValues(
  v: CostSettingsFormValues,
): { ok: true; settings: CostSettings } | { ok: false; errors: FormFieldError[] } {
  const hours = v.staleAfterHours.trim();
  const candidate = {
    sources: v.sources,
    cloud: v.cloud,
    prometheusUrl: v.prometheusUrl.trim() || undefined,
    modelServer: v.modelServer,
    awsRegion: v.awsRegion.trim(),
    awsEndpoint: v.awsEndpoint.trim() || undefined,
    clusterRegion: v.clusterRegion.trim() || undefined,
    livePrices: v.livePrices,
    priceApiEndpoint: v.priceApiEndpoint.trim() || undefined,
    teamTagKey: v.teamTagKey.trim(),
    workloadTagKey: v.workloadTagKey.trim(),
    labelPreset: v.labelPreset,
    nodePoolLabelKey: v.nodePoolLabelKey.trim() || undefined,
    capacityTypeLabelKey: v.capacityTypeLabelKey.trim() || undefined,
    instanceTypeLabelKey: v.instanceTypeLabelKey.trim() || undefined,
    // Anything but digits stays text, so the schema refuses it instead of Number("") quietly becoming 0.
    staleAfterHours: /^\d+$/.test(hours) ? Number(hours) : hours,
  };
  const parsed = costSettingsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const { byField } = formErrorsFromApi(fieldErrorsFromIssues(parsed.error.issues));
  return {
    ok: false,
    errors: byField.map((e) => ({ field: e.field, message: clearerMessages[e.field] || e.message })),
  };
}

/**
 * The API's field errors (paths like "prometheusUrl" or "body.awsRegion") on the form's fields, one per field in
 * form order; errors naming no field of the form are returned apart for the summary.
 */
export function formErrorsFromApi(fields: readonly FieldError[]): {
  byField: FormFieldError[];
  unmatched: FieldError[];
} {
  const messages = new Map<CostSettingsField, string[]>();
  const unmatched: FieldError[] = [];
  for (const f of fields) {
    const [head] = f.path.replace(/^body\./, "").split(".");
    if (!(costSettingsFields as readonly string[]).includes(head!)) {
      unmatched.push(f);
      continue;
    }
    const field = head as CostSettingsField;
    const list = messages.get(field) ?? [];
    if (!list.includes(f.message)) list.push(f.message);
    messages.set(field, list);
  }
  const byField = costSettingsFields
    .filter((field) => messages.has(field))
    .map((field) => ({ field, message: messages.get(field)!.join("; ") }));
  return { byField, unmatched };
}

export interface ModelServerOption {
  value: ModelServerChoice;
  label: string;
  /** What ingestion reads from Prometheus for this choice. */
  hint: string;
}

const modelServerLabels: Record<ModelServerChoice, string> = {
  none: "None",
  vllm: "vLLM",
  triton: "Triton Inference Server",
};

/** The model server choices with the metric names ingestion reads, taken from the presets it uses. */
export const modelServerOptions: readonly ModelServerOption[] = modelServers.map((value) => {
  if (value === "none")
    return { value, label: modelServerLabels[value], hint: "GPU usage only: no request or queue metrics are read." };
  const p = modelServerPresets[value];
  return {
    value,
    label: modelServerLabels[value],
    hint: `Reads ${p.requestsCounter} (completed requests) and ${p.queueGauge} (waiting requests) per pod.`,
  };
});

/**
 * A monthly budget typed by a person: empty means no budget (null); "$12,500" and "12500.50" are numbers.
 * The API checks the range again.
 */
export function parseBudgetInput(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const cleaned = text.trim().replace(/^\$/, "").replace(/,/g, "").trim();
  if (cleaned === "") return { ok: true, value: null };
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned))
    return {
      ok: false,
      message: `"${text.trim()}" is not an amount in dollars: enter e.g. 25000, or leave it empty for no budget.`,
    };
  const value = Number(cleaned);
  if (value > 1e11) return { ok: false, message: "The budget must be at most $100,000,000,000 a month." };
  return { ok: true, value };
}

/** How a budget shows in its input: plain digits, so that saving it unchanged sends the same number. */
export function formatBudgetInput(value: number | null): string {
  return value === null ? "" : String(value);
}
