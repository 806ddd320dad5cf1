"use client";
// Labelled inputs bound to the surrounding react-hook-form, laid out and wired by Field: help beside the field, the
// error under it (announced as it appears, since these validate while typing), aria-invalid and aria-describedby.
import { get, useController, useFormContext } from "react-hook-form";
import type { ReactNode } from "react";
import { Field } from "@/components/ui/field";
import { labelledError } from "./field-error-text";

interface BaseProps {
  name: string;
  label: string;
  help?: ReactNode;
}

function idOf(name: string): string {
  return `f-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;
}

export function useFieldError(name: string): string | undefined {
  const { formState } = useFormContext();
  const error = get(formState.errors, name) as { message?: string } | undefined;
  return error?.message;
}

function Described({
  name,
  help,
  children,
  label,
}: BaseProps & { children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode }) {
  const error = useFieldError(name);
  return (
    <Field
      id={idOf(name)}
      label={label}
      hint={help}
      error={error ? labelledError(error, name, label) : error}
      announceError
    >
      {(control) =>
        children({
          id: control.id,
          describedBy: control["aria-describedby"],
          invalid: Boolean(control["aria-invalid"]),
        })
      }
    </Field>
  );
}

export function TextField({
  name,
  label,
  help,
  placeholder,
  list,
}: BaseProps & { placeholder?: string; list?: string }) {
  const { register } = useFormContext();
  return (
    <Described name={name} label={label} help={help}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="text"
          placeholder={placeholder}
          list={list}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          {...register(name)}
        />
      )}
    </Described>
  );
}

export function NumberField({
  name,
  label,
  help,
  step = 1,
  min,
  max,
}: BaseProps & { step?: number; min?: number; max?: number }) {
  const { register } = useFormContext();
  return (
    <Described name={name} label={label} help={help}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={step}
          min={min}
          max={max}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          {...register(name, { valueAsNumber: true })}
        />
      )}
    </Described>
  );
}

// Controlled: React sets the selected option itself, so the default shows even when options render late.
export function SelectField({
  name,
  label,
  help,
  options,
  onValueChange,
}: BaseProps & { options: { value: string; label: string }[]; onValueChange?: (value: string) => void }) {
  const { field } = useController({ name });
  return (
    <Described name={name} label={label} help={help}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={field.name}
          ref={field.ref}
          value={(field.value as string | undefined) ?? ""}
          onBlur={field.onBlur}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => {
            field.onChange(e.target.value);
            onValueChange?.(e.target.value);
          }}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Described>
  );
}

/** An error shown under a field-less part of the form (a table, a group). */
export function GroupError({ name }: { name: string }) {
  const error = useFieldError(name);
  return error ? (
    <div className="field-error" role="alert">
      {error}
    </div>
  ) : null;
}
