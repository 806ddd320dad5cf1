"use client";
// Admins choose what cost ingestion reads: the sources, Prometheus (URL, model server) and AWS Cost Explorer.
// Checked in the browser with the API's own schema; the server's 422 (a URL the URL allow-list refuses, a
// Prometheus source without a URL) lands on the same fields. A failed save keeps everything that was typed.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm, useFormContext, useWatch, type FieldErrors, type Resolver } from "react-hook-form";
import { cloudProviders, type CloudProvider } from "@/lib/pricing/lookup-price";
import { costSources, type CostSettings, type CostSource } from "@/lib/costs/schema";
import { labelPresetNames, labelPresets } from "@/lib/costs/sources/label-mapping";
import { SelectField, TextField, useFieldError } from "@/components/requests/form-fields";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import {
  formErrorsFromApi,
  formValuesFromSettings,
  modelServerOptions,
  settingsFromFormValues,
  type CostSettingsFormValues,
  type FormFieldError,
} from "./settings-form-model";
import { Button } from "@/components/ui/button";
import { Choice, FieldSet } from "@/components/ui/field";

const sourceInfo: Record<CostSource, { label: string; help: string }> = {
  demo: { label: "Demo data", help: "A generated fleet, for trying the portal out." },
  prometheus: {
    label: "Prometheus",
    help: "GPU usage from DCGM and kube-state-metrics, priced with the cloud's list prices.",
  },
  "aws-cost-explorer": {
    label: "AWS Cost Explorer",
    help: "Billed cost per team and workload, from cost allocation tags.",
  },
};
const cloudLabels: Record<CloudProvider, string> = {
  aws: "AWS",
  gcp: "Google Cloud",
  azure: "Azure",
  on_premise: "On premises",
};

function toFieldErrors(errors: readonly FormFieldError[]): FieldErrors<CostSettingsFormValues> {
  return Object.fromEntries(errors.map((e) => [e.field, { type: "validate", message: e.message }]));
}

const resolver: Resolver<CostSettingsFormValues> = async (values) => {
  const result = settingsFromFormValues(values);
  return result.ok ? { values, errors: {} } : { values: {}, errors: toFieldErrors(result.errors) };
};

export function CostSettingsForm({ settings }: { settings: CostSettings }) {
  const router = useRouter();
  const save = useApiMutation(api.costs.saveSettings, { invalidates: [api.costs.settings] });
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const form = useForm<CostSettingsFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: formValuesFromSettings(settings),
  });

  async function onSubmit(values: CostSettingsFormValues) {
    setMessage(null);
    const parsed = settingsFromFormValues(values);
    if (!parsed.ok) return; // the resolver has already put these errors on the fields
    const error = await save.mutateAsync({ body: parsed.settings }).then(
      () => null,
      (e: unknown) => asApiError(e),
    );
    if (!error) {
      form.reset(values); // what was typed is now the saved state
      setMessage({
        tone: "info",
        text: `Saved. The next ingestion reads ${parsed.settings.sources.map((s) => sourceInfo[s].label).join(", ")}.`,
      });
      router.refresh();
      return;
    }
    const { byField, unmatched } = formErrorsFromApi([...error.fields]);
    for (const e of byField) form.setError(e.field, { type: "server", message: e.message });
    if (byField[0]) form.setFocus(byField[0].field);
    const rest = unmatched.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message));
    const summary = error.message;
    setMessage({
      tone: "danger",
      text: [
        byField.length ? `Not saved: fix the marked field${byField.length === 1 ? "" : "s"}. ${summary}` : summary,
        ...rest,
      ].join(" "),
    });
  }

  return (
    <FormProvider {...form}>
      <form
        className="card"
        onSubmit={form.handleSubmit(onSubmit)}
        noValidate
        aria-labelledby="cost-sources-title"
        data-testid="cost-settings-form"
      >
        <h2 className="flush-top" id="cost-sources-title">
          Cost data sources
        </h2>
        <p className="help flush-top">What the hourly ingestion job reads. Changes apply from its next run.</p>
        <SourcesField />
        <div className="field-row">
          <SelectField
            name="cloud"
            label="Cloud"
            help="Whose list prices turn GPU hours into dollars."
            options={cloudProviders.map((c) => ({ value: c, label: cloudLabels[c] }))}
          />
          <TextField
            name="staleAfterHours"
            label="Stale after (hours)"
            help="Usage data from the demo and Prometheus sources is flagged as stale when it is older than this. Cost Explorer billing data is judged stale after 36 hours regardless of this field."
          />
        </div>

        <div className="field-row">
          <TextField
            name="clusterRegion"
            label="Cluster region"
            placeholder="us-west-2"
            help="The region the GPU cluster runs in: it decides the price. Empty: the price table's region."
          />
          <LivePricesField />
        </div>
        <TextField
          name="priceApiEndpoint"
          label="Price API endpoint (Azure, GCP)"
          placeholder="https://prices.azure.com/api/retail/prices"
          help="Leave empty for the provider's own (https://prices.azure.com/api/retail/prices or https://cloudbilling.googleapis.com); either way its host:port must be on the URL allow-list. GCP needs GCP_BILLING_API_KEY in the worker's environment."
        />

        <h3 className="h3">Prometheus</h3>
        <TextField
          name="prometheusUrl"
          label="Prometheus URL"
          placeholder="http://prometheus.monitoring.svc:9090"
          help="Where DCGM and kube-state-metrics are scraped. Required when Prometheus is a source; its host:port must be on the URL allow-list."
        />
        <SelectField
          name="modelServer"
          label="Model server"
          help={<ModelServerHint />}
          options={modelServerOptions.map((o) => ({ value: o.value, label: o.label }))}
        />

        <h3 className="h3">AWS Cost Explorer</h3>
        <div className="field-row">
          <TextField name="awsRegion" label="AWS region" help="Region of the Cost Explorer API, e.g. us-east-1." />
          <TextField
            name="awsEndpoint"
            label="AWS endpoint"
            help="Leave empty for AWS itself; set it for a compatible endpoint, whose host:port must be on the URL allow-list."
          />
        </div>

        <h3 className="h3">Labels and tags</h3>
        <div className="field-row">
          <TextField
            name="teamTagKey"
            label="Team key"
            help="The pods' Kubernetes label (kube-state-metrics shows teamName as label_team_name) and the cost allocation tag that name the team."
          />
          <TextField
            name="workloadTagKey"
            label="Workload type key"
            help="The pods' label and the cost allocation tag that name the workload type."
          />
        </div>
        <SelectField
          name="labelPreset"
          label="Node label convention"
          help="Which node labels give the pool, spot or on-demand, and the instance type. Detect reads every convention's labels."
          options={labelPresets.map((p) => ({ value: p, label: labelPresetNames[p] }))}
        />
        <div className="field-row">
          <TextField
            name="nodePoolLabelKey"
            label="Node pool label"
            placeholder="karpenter.sh/nodepool"
            help="Optional: a node label that names the pool, tried before the convention's."
          />
          <TextField
            name="capacityTypeLabelKey"
            label="Capacity type label"
            placeholder="karpenter.sh/capacity-type"
            help="Optional: a node label whose value spot (or true) marks spot capacity."
          />
          <TextField
            name="instanceTypeLabelKey"
            label="Instance type label"
            placeholder="node.kubernetes.io/instance-type"
            help="Optional: a node label that names the instance type."
          />
        </div>

        {message && (
          <div
            className={`alert alert-${message.tone}`}
            role={message.tone === "danger" ? "alert" : "status"}
            data-testid="cost-settings-message"
          >
            {message.text}
          </div>
        )}
        <Button type="submit" variant="primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Saving…" : "Save data sources"}
        </Button>
      </form>
    </FormProvider>
  );
}

function LivePricesField() {
  const { register } = useFormContext<CostSettingsFormValues>();
  return (
    <Choice
      type="checkbox"
      {...register("livePrices")}
      label={
        <span>
          Live prices{" "}
          <span className="help">
            Read on-demand prices for the cluster region once a day from the cloud&apos;s price API: AWS Price List
            (needs AWS credentials with pricing:GetProducts), Azure Retail Prices, or GCP&apos;s Cloud Billing Catalog.
            Otherwise, or when it fails, the offline price table is used and labelled as such.
          </span>
        </span>
      }
    />
  );
}

/** Checkboxes sharing the name "sources": react-hook-form collects the checked values as an array. */
function SourcesField() {
  const { register } = useFormContext<CostSettingsFormValues>();
  const error = useFieldError("sources");
  return (
    <FieldSet legend="Sources" error={error} className="fieldset-bare">
      {(control) =>
        costSources.map((source) => (
          <Choice
            key={source}
            type="checkbox"
            value={source}
            {...control}
            label={
              <span>
                {sourceInfo[source].label} <span className="help">{sourceInfo[source].help}</span>
              </span>
            }
            {...register("sources")}
          />
        ))
      }
    </FieldSet>
  );
}

/** What each model server choice reads; the chosen one in bold. */
function ModelServerHint() {
  const chosen = useWatch<CostSettingsFormValues, "modelServer">({ name: "modelServer" });
  return (
    <ul className="flush pl-16">
      {modelServerOptions.map((o) => (
        <li key={o.value} style={o.value === chosen ? { fontWeight: 600 } : undefined}>
          {o.label}: {o.hint}
        </li>
      ))}
    </ul>
  );
}
