// What a git-mode delivery writes: the plan's manifests, the same objects a server-side apply would send, one YAML
// file each under <gitPath>/<cluster>/<team>/<REQ-n>/, and the branch and message that carry them.
import { stringify } from "yaml";
import { sortForApply } from "@/lib/k8s/apply-order";
import type { KubernetesObject } from "@/lib/k8s/types";

export interface DeliveryFile {
  path: string;
  content: string;
}

export interface DeliveryRequest {
  number: number;
  title: string;
  cluster: string;
  team: string;
}

/** The folder a request's files live in; revert removes exactly this folder. */
export function requestFolder(gitPath: string, r: Pick<DeliveryRequest, "number" | "cluster" | "team">): string {
  return [gitPath.replace(/\/+$/, ""), r.cluster, r.team, `REQ-${r.number}`].filter(Boolean).join("/");
}

const fileSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/** One file per object, numbered in apply order so a reader (and `kubectl apply -f`) sees namespaces first. */
export function renderDeliveryFiles(
  gitPath: string,
  r: DeliveryRequest,
  objects: readonly KubernetesObject[],
): DeliveryFile[] {
  const folder = requestFolder(gitPath, r);
  const width = String(objects.length).length;
  return sortForApply(objects).map((o, i) => {
    const ns = o.metadata?.namespace ? `${fileSafe(o.metadata.namespace)}-` : "";
    const name = `${String(i + 1).padStart(width, "0")}-${fileSafe(o.kind)}-${ns}${fileSafe(o.metadata?.name ?? "unnamed")}.yaml`;
    // The stored plan's key order is the database's (jsonb sorts keys): put the head of a manifest first.
    const { apiVersion, kind, metadata, ...rest } = o;
    return { path: `${folder}/${name}`, content: stringify({ apiVersion, kind, metadata, ...rest }, { lineWidth: 0 }) };
  });
}

export const deliveryBranch = (number: number, operation: "apply" | "revert") =>
  operation === "apply" ? `portal/REQ-${number}` : `portal/REQ-${number}-revert`;

export function commitMessage(
  r: DeliveryRequest & { approver: string | null },
  operation: "apply" | "revert",
  requestUrl: string | null,
): string {
  const subject =
    operation === "apply"
      ? `REQ-${r.number}: ${r.title}`.slice(0, 72)
      : `Revert REQ-${r.number}: ${r.title}`.slice(0, 72);
  const body = [
    operation === "apply"
      ? `Delivers request REQ-${r.number} "${r.title}" of team ${r.team} to cluster ${r.cluster}.`
      : `Removes the files of request REQ-${r.number} "${r.title}" of team ${r.team} from cluster ${r.cluster}.`,
    `Approved-by: ${r.approver ?? "unknown"}`,
    `Portal-Request: REQ-${r.number}`,
    ...(requestUrl ? [`Link: ${requestUrl}`] : []),
  ];
  return `${subject}\n\n${body.join("\n")}\n`;
}
