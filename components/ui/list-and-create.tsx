"use client";
// The page shape of things a person keeps a few of (API tokens, notification subscriptions): a card listing them
// and a card with the form that creates one; and the notice that shows a new secret once, with a copy button.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "./button";

export function ListAndCreate({
  listTitle,
  list,
  createTitle,
  onCreate,
  formTestId,
  submit,
  children,
}: {
  listTitle: string;
  list: ReactNode;
  createTitle: string;
  onCreate: (event: FormEvent) => void;
  formTestId?: string;
  /** The form's submit button. */
  submit: ReactNode;
  /** The form's fields. */
  children: ReactNode;
}) {
  const id = useId();
  return (
    <>
      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{listTitle}</h2>
        {list}
      </section>
      <form className="card" onSubmit={onCreate} noValidate aria-labelledby={`${id}-create`} data-testid={formTestId}>
        <h2 id={`${id}-create`}>{createTitle}</h2>
        {children}
        {submit}
      </form>
    </>
  );
}

/** A secret shown once, right after it was made: what it is (children), the value and a copy button. */
export function SecretNotice({
  secret,
  testId,
  secretTestId,
  children,
}: {
  secret: string;
  testId?: string;
  secretTestId?: string;
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  async function onCopy() {
    await navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <div className="alert alert-info" role="status" data-testid={testId}>
      <p className="flush-top">{children}</p>
      <code data-testid={secretTestId}>{secret}</code> <Button onClick={onCopy}>{copied ? "Copied" : "Copy"}</Button>
    </div>
  );
}
