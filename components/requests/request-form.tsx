"use client";
// New request: the kind, who it is for and where it goes, then the kind's sections, all validated in the browser
// with the same schemas the API uses; the plan is regenerated live in the side panel.
import type { PriceList } from "@/lib/pricing/price-list";
import "./requests.css";
import { zodResolver } from "@hookform/resolvers/zod";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { FormProvider, useForm, useWatch, type FieldErrors, type Resolver } from "react-hook-form";
import { z } from "zod";
import { planInputSchema, type PlanInputDraft } from "@/lib/plans/schema";
import {
  defaultTitle,
  planInputForKind,
  requestKindInfo,
  requestKinds,
  type RequestKind,
} from "@/lib/requests/request-kinds";
import { protectedNamespaceFieldErrors } from "@/lib/requests/request-namespaces";
import { submitRequestSchema } from "@/lib/requests/schema";
import { asApiError } from "@/lib/client/api-error";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { SelectField, TextField } from "./form-fields";
import { PlanPreview } from "./plan-preview";
import { RequestFormSections } from "./request-form-sections";
import { formFieldFromApiPath, nodePoolsAfterKindChange, sectionsForKind } from "./request-form-model";
import type { CloudProvider } from "@/lib/pricing/lookup-price";
import { useLivePlan } from "./use-live-plan";
import { previewVerdict } from "./preview-verdict";
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { Button } from "@/components/ui/button";

// Below every section, so not needed for the first paint: server-rendered as the rest, its code (the scaling
// profile conversions and schema) loads in its own chunk beside the page's, which keeps the first load small.
const ScalingSimulationSection = dynamic(() =>
  import("./scaling-simulation-section").then((m) => m.ScalingSimulationSection),
);

export interface RequestFormProps {
  teams: { id: string; name: string }[];
  clusters: { id: string; name: string; isSandbox: boolean; protectedNamespaces?: string[] }[];
  /** The server's cached live prices, one list per cloud and region: the preview prices the plan as submit will. */
  priceLists?: PriceList[];
  initialKind: RequestKind;
  initialInput: PlanInputDraft;
  /** The cost recommendation this request acts on (the costs page's "Create request"). */
  recommendationId?: string;
  /** The team the link asks for (a recommendation's team); the first team when absent or not one of `teams`. */
  initialTeamId?: string;
}

interface FormValues {
  kind: RequestKind;
  title: string;
  teamId: string;
  clusterTargetId: string;
  input: PlanInputDraft;
}

const formSchema = submitRequestSchema.extend({ input: planInputSchema });
// The form holds the draft (FormValues); a valid form hands onSubmit the parsed request (Parsed), as the server parses it.
type Parsed = z.output<typeof formSchema>;
type FormResolver = Resolver<FormValues, unknown, Parsed>;
const schemaResolver = zodResolver<FormValues, unknown, Parsed>(formSchema);

// The kind decides the task and (for some kinds) the workload: apply that before validating, as the server does.
const resolver: FormResolver = (values, context, options) =>
  schemaResolver({ ...values, input: planInputForKind(values.kind, values.input ?? {}) }, context, options);

/**
 * Adds the target cluster's protected namespaces to the schema's verdict, so a namespace field that names one shows
 * the error the server would give at submit, as soon as it is typed or the cluster is changed.
 */
function withProtectedNamespaces(base: FormResolver, clusters: RequestFormProps["clusters"]): FormResolver {
  return async (values, context, options) => {
    const result = await base(values, context, options);
    const cluster = clusters.find((c) => c.id === values.clusterTargetId);
    const issues = cluster
      ? protectedNamespaceFieldErrors(values.input, {
          name: cluster.name,
          protectedNamespaces: cluster.protectedNamespaces ?? [],
        })
      : [];
    if (issues.length === 0) return result;
    const errors: FieldErrors<FormValues> = { ...result.errors };
    const namespaces: Record<string, { type: string; message: string }> = {};
    for (const issue of issues)
      namespaces[issue.path.replace(/^input\.namespaces\./, "")] = { type: "protected", message: issue.message };
    errors.input = { ...errors.input, namespaces: { ...errors.input?.namespaces, ...namespaces } };
    return { values: {}, errors };
  };
}

export function clusterLabel(c: { name: string; isSandbox: boolean }): string {
  if (!c.isSandbox) return c.name;
  return c.name === "sandbox" ? "sandbox — local API double" : `${c.name} (sandbox — local API double)`;
}

/** A stable empty list: the preview's effect depends on the lists' identity. */
const NO_PRICES: PriceList[] = [];

export function RequestForm({
  teams,
  clusters,
  initialKind,
  initialInput,
  recommendationId,
  initialTeamId,
  priceLists = NO_PRICES,
}: RequestFormProps) {
  const router = useRouter();
  const submit = useApiMutation(requestEndpoints.submit, { invalidates: [requestEndpoints.list] });
  const titleEdited = useRef(false);
  const previousKind = useRef<RequestKind>(initialKind);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [clusterResolver] = useState(() => withProtectedNamespaces(resolver, clusters));
  const form = useForm<FormValues, unknown, Parsed>({
    resolver: clusterResolver,
    mode: "onTouched",
    defaultValues: {
      kind: initialKind,
      title: defaultTitle(initialKind, initialInput as { cluster_name?: string; workload_type?: string }),
      teamId: (initialTeamId && teams.some((t) => t.id === initialTeamId) ? initialTeamId : teams[0]?.id) ?? "",
      clusterTargetId: (clusters.find((c) => c.isSandbox) ?? clusters[0])?.id ?? "",
      input: initialInput,
    },
  });
  const { control, register, handleSubmit, setValue, setError, setFocus, formState } = form;
  const kind = useWatch({ control, name: "kind" });
  const input = useWatch({ control, name: "input" });
  const live = useLivePlan(kind, input, 100, priceLists);
  const blocked = live.state === "ok" && blockingFindings(live.plan.viability_report).length > 0;
  const verdict = previewVerdict(live);

  function onKindChange(next: RequestKind) {
    const info = requestKindInfo[next];
    // Node pools the requester has not touched follow the kind (an inference profile brings only the inference
    // pool, a cluster or training job every pool); edited ones are kept.
    const pools = nodePoolsAfterKindChange(
      form.getValues("input.node_pools"),
      (form.getValues("input.cloud_provider") ?? "aws") as CloudProvider,
      previousKind.current,
      next,
    );
    if (pools) setValue("input.node_pools", pools, { shouldValidate: true });
    previousKind.current = next;
    if (info.workload) setValue("input.workload_type", info.workload);
    if (!titleEdited.current)
      setValue(
        "title",
        defaultTitle(next, {
          ...form.getValues("input"),
          workload_type: info.workload ?? form.getValues("input.workload_type"),
        }),
      );
  }

  async function onSubmit(values: Parsed) {
    setSubmitError(null);
    let created: { id: string };
    try {
      created = await submit.mutateAsync({
        body: {
          kind: values.kind,
          title: values.title,
          teamId: values.teamId,
          clusterTargetId: values.clusterTargetId,
          input: planInputForKind(values.kind, values.input),
          ...(recommendationId ? { recommendationId } : {}),
        },
      });
    } catch (e) {
      const error = asApiError(e);
      let first: string | null = null;
      for (const f of error.fields) {
        const name = formFieldFromApiPath(f.path);
        if (!name) continue;
        setError(name as keyof FormValues, { type: "server", message: f.message });
        first ??= name;
      }
      if (first) setFocus(first as keyof FormValues);
      setSubmitError(error.message);
      return;
    }
    router.push(`/requests/${created.id}`);
  }

  const sections = sectionsForKind(kind);
  return (
    <FormProvider {...form}>
      {/* One grid: the fields, the live preview and the submit bar. Wide, the preview is a sticky column beside both;
          narrow (1,024 px), it sits between the last field and Submit, so it is read before submitting. */}
      <form
        className="request-form-layout"
        onSubmit={handleSubmit(onSubmit)}
        noValidate
        aria-label="New request"
        data-testid="request-form"
      >
        <div className="request-form-fields">
          <fieldset className="kind-cards">
            <legend className="visually-hidden">What do you need?</legend>
            {/* eslint-disable-next-line react-hooks/refs -- register() returns a callback ref, not a ref read in render */}
            {requestKinds.map((k) => (
              <label key={k} className="kind-card">
                <input
                  type="radio"
                  value={k}
                  {...register("kind", { onChange: (e) => onKindChange(e.target.value as RequestKind) })}
                />
                <span>
                  <strong>{requestKindInfo[k].label}</strong>
                  <span className="help">{requestKindInfo[k].description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <section className="card form-section" aria-labelledby="sec-request">
            <h2 id="sec-request">Request</h2>
            <div className="field-row">
              <SelectField
                name="teamId"
                label="Team"
                help="Who the request is for: the team's members and the admins can see it."
                options={teams.map((t) => ({ value: t.id, label: t.name }))}
              />
              <SelectField
                name="clusterTargetId"
                label="Target cluster"
                help="Where the in-cluster objects are applied after approval."
                options={clusters.map((c) => ({ value: c.id, label: clusterLabel(c) }))}
              />
            </div>
            <div
              onChange={() => {
                titleEdited.current = true;
              }}
            >
              <TextField name="title" label="Title" help="What reviewers see in the approval queue." />
            </div>
          </section>
          <RequestFormSections sections={sections} />
          {kind === "inference_scaling" && <ScalingSimulationSection />}
        </div>
        <PlanPreview live={live} fileStem={`${kind}-plan`} />
        <div className="card request-submit">
          <p className={`flush preview-verdict preview-verdict-${verdict.tone}`} data-testid="preview-verdict">
            {verdict.text}
          </p>
          {submitError && (
            <div className="alert alert-danger" role="alert" data-testid="submit-error">
              {submitError}
            </div>
          )}
          <div className="row">
            <Button
              type="submit"
              variant="primary"
              disabled={formState.isSubmitting || blocked}
              title={blocked ? "The live preview lists blocking findings: fix them first" : undefined}
            >
              {formState.isSubmitting ? "Submitting…" : "Submit for approval"}
            </Button>
            <span className="help">
              An admin reviews the plan, the cost and the security report before anything is applied.
            </span>
          </div>
        </div>
      </form>
    </FormProvider>
  );
}
