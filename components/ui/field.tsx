"use client";
// A form field: its label, the control, a hint and the error, wired together so a screen reader reads the hint and
// the error with the control (aria-describedby) and knows it is invalid (aria-invalid). The control is rendered by
// the caller from the props given, so any input, select or textarea fits.
import { useId, type ReactNode } from "react";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  /** The server's or the form's message for this field; absent when the value is fine. */
  error?: string | null;
  /** Extra element ids that also describe the control. */
  describedBy?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, hint, error, describedBy, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [describedBy, hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": described, ...(error ? { "aria-invalid": true as const } : {}) })}
      {hint && (
        <div className="help" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
    </div>
  );
}

/** A group of checkboxes or radios under one legend, with the same hint and error wiring as Field. */
export function FieldSet({
  legend,
  hint,
  error,
  className,
  children,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset
      className={["field", className].filter(Boolean).join(" ")}
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      {children}
      {hint && (
        <div className="help" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
    </fieldset>
  );
}

/** One checkbox or radio with its label beside it. */
export function Choice({
  label,
  inline,
  ...input
}: { label: ReactNode; inline?: boolean } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={inline ? "choice choice-inline" : "choice"}>
      <input {...input} /> {label}
    </label>
  );
}
