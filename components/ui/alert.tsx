import type { ReactNode } from "react";

type Tone = "info" | "warning" | "danger";

/**
 * A message block. Danger alerts are announced at once (role="alert"); the others are a status region, so a screen
 * reader does not interrupt the reader for news that can wait.
 */
export function Alert({
  tone = "info",
  title,
  children,
  testId,
}: {
  tone?: Tone;
  title?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "danger" ? "alert" : "status"} data-testid={testId}>
      {title && <strong>{title}</strong>}
      {title && children ? " " : null}
      {children}
    </div>
  );
}
