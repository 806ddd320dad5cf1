"use client";
// The node pools of the plan as an editable table: instance types come from the cloud's price table, so the
// requester sees the hourly price and GPUs of what they pick.
import { useController, useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { gpuSpecs } from "@/lib/pricing/gpu-rates";
import { efaInterfaces } from "@/lib/plans/efa-instance-types";
import { lookupPrice, priceTable, type CloudProvider, type InstancePrice } from "@/lib/pricing/lookup-price";
import { labelledError } from "./field-error-text";
import { GroupError, useFieldError } from "./form-fields";
import { Button } from "@/components/ui/button";

function Cell({
  name,
  label,
  heading,
  children,
}: {
  name: string;
  label: string;
  /** The column's name, shown above the control: the rows are stacked, so the table header is not in view. */
  heading: string;
  children: (props: { "aria-label": string; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const error = useFieldError(name);
  const errorId = `f-${name.replace(/[^a-zA-Z0-9]+/g, "-")}-error`;
  return (
    <td data-label={heading} className={`pool-${heading.toLowerCase().replace(/[^a-z]+/g, "-")}`}>
      {children({
        "aria-label": label,
        "aria-invalid": Boolean(error),
        "aria-describedby": error ? errorId : undefined,
      })}
      {error && (
        <div className="field-error" id={errorId} role="alert">
          {labelledError(error, name, heading)}
        </div>
      )}
    </td>
  );
}

function ControlledSelect({
  name,
  attrs,
  options,
}: {
  name: string;
  attrs: Record<string, unknown>;
  options: { value: string; label: string }[];
}) {
  const { field } = useController({ name });
  /* eslint-disable react-hooks/refs -- field.ref is react-hook-form's callback ref, not a ref read in render */
  return (
    <select
      {...attrs}
      name={field.name}
      ref={field.ref}
      value={(field.value as string | undefined) ?? ""}
      onBlur={field.onBlur}
      onChange={(e) => field.onChange(e.target.value)}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  /* eslint-enable react-hooks/refs */
}

/** "8× nvidia-h200 (141 GiB each) · 32 EFA", or "CPU": what a platform engineer picks a GPU instance type by. */
function gpuSummary(it: InstancePrice): string {
  if (!it.gpuCount) return "CPU";
  const memory = it.gpuType ? gpuSpecs[it.gpuType]?.memoryGiB : undefined;
  const efa = it.instanceType in efaInterfaces ? ` · ${efaInterfaces[it.instanceType]} EFA` : "";
  return `${it.gpuCount}× ${it.gpuType ?? "GPU"}${memory ? ` (${memory} GiB each)` : ""}${efa}`;
}

export function NodePoolsTable() {
  const { control, register } = useFormContext();
  const { fields, append, remove } = useFieldArray({ control, name: "input.node_pools" });
  const cloud = useWatch({ control, name: "input.cloud_provider" }) as CloudProvider;
  const pools = (useWatch({ control, name: "input.node_pools" }) ?? []) as { instance_type?: string }[];
  const instances = priceTable(cloud ?? "aws").instances;
  return (
    <div>
      <table className="table pool-table">
        <caption className="visually-hidden">Node pools</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Instance type</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Capacity</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field, i) => {
            const price = lookupPrice(cloud ?? "aws", pools[i]?.instance_type ?? "");
            const base = `input.node_pools.${i}`;
            return (
              <tr key={field.id}>
                <Cell name={`${base}.name`} label={`Node pool ${i + 1} name`} heading="Name">
                  {(a) => <input type="text" {...a} {...register(`${base}.name`)} />}
                </Cell>
                <Cell name={`${base}.instance_type`} label={`Node pool ${i + 1} instance type`} heading="Instance type">
                  {(a) => (
                    <>
                      <ControlledSelect
                        name={`${base}.instance_type`}
                        attrs={a}
                        options={instances.map((it) => ({
                          value: it.instanceType,
                          label: `${it.instanceType} · ${gpuSummary(it)}`,
                        }))}
                      />
                      {price && (
                        <div className="help">
                          ${price.onDemandHourly.toFixed(2)}/h on-demand
                          {price.spotHourly !== null ? ` · $${price.spotHourly.toFixed(2)}/h spot` : ""}
                          {price.source.startsWith("estimate") ? ` · estimate (${price.source})` : ""}
                        </div>
                      )}
                    </>
                  )}
                </Cell>
                <Cell name={`${base}.min_nodes`} label={`Node pool ${i + 1} minimum nodes`} heading="Min nodes">
                  {(a) => (
                    <input
                      type="number"
                      min={0}

                      {...a}
                      {...register(`${base}.min_nodes`, { valueAsNumber: true })}
                    />
                  )}
                </Cell>
                <Cell name={`${base}.max_nodes`} label={`Node pool ${i + 1} maximum nodes`} heading="Max nodes">
                  {(a) => (
                    <input
                      type="number"
                      min={1}

                      {...a}
                      {...register(`${base}.max_nodes`, { valueAsNumber: true })}
                    />
                  )}
                </Cell>
                <Cell name={`${base}.capacity_type`} label={`Node pool ${i + 1} capacity type`} heading="Capacity">
                  {(a) => (
                    <ControlledSelect
                      name={`${base}.capacity_type`}
                      attrs={a}
                      options={[
                        { value: "on_demand", label: "on-demand" },
                        { value: "spot", label: "spot" },
                      ]}
                    />
                  )}
                </Cell>
                <td className="pool-actions">
                  <Button
                    size="sm"
                    onClick={() => remove(i)}
                    disabled={fields.length <= 1}
                    aria-label={`Remove node pool ${i + 1}`}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <GroupError name="input.node_pools" />
      <GroupError name="input.node_pools.root" />
      <div className="row mt-8">
        <Button
          size="sm"
          onClick={() =>
            append({
              name: `pool-${fields.length + 1}`,
              instance_type: instances.find((it) => it.gpuCount > 0)?.instanceType ?? instances[0]!.instanceType,
              min_nodes: 0,
              max_nodes: 4,
              capacity_type: "on_demand",
              labels: {},
              taints: [],
              fallback_instance_types: [],
              disk_size_gib: 200,
            })
          }
        >
          Add node pool
        </Button>
        <span className="help">
          Min is what runs (and is billed) at idle; max caps the autoscaler. Spot is cheaper but can be reclaimed: use
          it for work that checkpoints.
        </span>
      </div>
    </div>
  );
}
