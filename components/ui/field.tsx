// A form field: its label, the control, a hint and the error, wired together so a screen reader reads the hint and
// the error with the control (aria-describedby) and knows it is invalid (aria-invalid). The control is rendered by
// the caller from the props given, so any input, select or textarea fits. No "use client": it holds no state, so
// server-rendered forms (the GET filters of lists) use it too, passing the render function within the server.
import "./primitives.css";
import { useId, type ComponentProps, type ReactNode } from "react";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  /** The server's or the form's message for this field (or a list of them); absent when the value is fine. */
  error?: ReactNode;
  /** Extra element ids that also describe the control. */
  describedBy?: string;
  /** The control's id, when something else points at it (a form library focusing the field); generated otherwise. */
  id?: string;
  /** The label is read by screen readers only (a field inside a table row whose header names it). */
  labelHidden?: boolean;
  /** Announce the error as it appears (role="alert"), for errors shown while typing rather than after a submit. */
  announceError?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

export function Field({
  label,
  hint,
  error,
  describedBy,
  id: givenId,
  labelHidden,
  announceError,
  className,
  children,
}: FieldProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [describedBy, hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={id} className={labelHidden ? "visually-hidden" : undefined}>
        {label}
      </label>
      {children({ id, "aria-describedby": described, ...(error ? { "aria-invalid": true as const } : {}) })}
      {hint && (
        <div className="help" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId} role={announceError ? "alert" : undefined}>
          {error}
        </div>
      )}
    </div>
  );
}

/**
 * A group of checkboxes or radios under one legend, with the same hint and error wiring as Field. Given a function
 * as children, it hands each control the error's id and aria-invalid too, so a screen reader reads the error on the
 * checkbox that gets the focus, not only on entering the group.
 */
export function FieldSet({
  legend,
  hint,
  error,
  className,
  children,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: ReactNode | ((control: Omit<ControlProps, "id">) => ReactNode);
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const control = { "aria-describedby": errorId, ...(error ? { "aria-invalid": true as const } : {}) };
  return (
    <fieldset
      className={["field", className].filter(Boolean).join(" ")}
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      {typeof children === "function" ? children(control) : children}
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
export function Choice({ label, inline, ...input }: { label: ReactNode; inline?: boolean } & ComponentProps<"input">) {
  return (
    <label className={inline ? "choice choice-inline" : "choice"}>
      <input {...input} /> {label}
    </label>
  );
}
