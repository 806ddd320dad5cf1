// A request may not put its workloads into a namespace its target cluster protects: the protected-namespace policy
// the DR drill guard applies, plus Kubernetes' own namespaces. Checked at submit and again before a dry run (a stored
// row may not have passed this check: hand edits, other writers); the plan schema already refuses the system namespaces in the live
// preview, which knows no cluster yet. Pure.
import type { FieldError } from "@/lib/errors/domain-error";
import { protectedNamespaceIssues } from "@/lib/k8s/protected-namespaces";

/** Field errors (paths under `input.`) for each namespace field of a request's plan input that names a protected namespace. */
export function protectedNamespaceFieldErrors(
  input: unknown,
  cluster: { name: string; protectedNamespaces: readonly string[] },
): FieldError[] {
  const namespaces = (input as { namespaces?: unknown } | null)?.namespaces;
  if (!namespaces || typeof namespaces !== "object") return [];
  const named = Object.fromEntries(
    Object.entries(namespaces).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  return protectedNamespaceIssues(named, cluster.protectedNamespaces, cluster.name).map((issue) => ({
    path: `input.${issue.path}`,
    message: issue.message,
  }));
}
