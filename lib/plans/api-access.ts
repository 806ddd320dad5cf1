// How kubectl, helm and the runbooks reach a plan's cluster API from outside the cluster's network: the managed
// clusters' endpoints are private unless the plan names the ranges that may reach them (api_authorized_cidrs).
import type { PlanContext } from "./plan-context";
import type { PlanInput } from "./schema";

export type ApiAccess =
  /** A public endpoint that answers only the plan's api_authorized_cidrs (AKS, EKS). */
  | { via: "authorized-cidrs"; cidrs: readonly string[] }
  /** A private AKS cluster: commands run in a pod of the cluster through az aks command invoke. */
  | { via: "command-invoke" }
  /** GKE's DNS endpoint, gated by IAM (terraform-gke.ts). */
  | { via: "dns-endpoint" }
  /** A private EKS endpoint and no authorized ranges: only from inside the VPC (VPN, bastion). */
  | { via: "vpc-only" }
  /** On premises: the kubeadm cluster's API where the requester's network reaches it. */
  | { via: "direct" };

export function apiAccessOf(input: Pick<PlanInput, "cloud_provider" | "api_authorized_cidrs">): ApiAccess {
  const cidrs = input.api_authorized_cidrs;
  switch (input.cloud_provider) {
    case "gcp":
      return { via: "dns-endpoint" };
    case "on_premise":
      return { via: "direct" };
    case "azure":
      return cidrs.length > 0 ? { via: "authorized-cidrs", cidrs } : { via: "command-invoke" };
    case "aws":
      return cidrs.length > 0 ? { via: "authorized-cidrs", cidrs } : { via: "vpc-only" };
  }
}

/** A shell command as one single-quoted word: the remote shell of az aks command invoke runs it as written. */
function singleQuoted(command: string): string {
  return `'${command.replace(/'/g, `'\\''`)}'`;
}

/** The command as az aks command invoke runs it inside the private AKS cluster. */
export function commandInvoke(ctx: PlanContext, command: string): string {
  const { cluster_name } = ctx.input;
  return `az aks command invoke --resource-group ${cluster_name}-rg --name ${cluster_name} --command ${singleQuoted(command)}`;
}

/**
 * A runbook with every kubectl command routed the way the cluster's API is reached: on a private AKS cluster,
 * each kubectl line of a code block and each inline `kubectl ...` becomes az aks command invoke; elsewhere the
 * text is returned as it is.
 */
export function routeKubectl(ctx: PlanContext, markdown: string): string {
  if (apiAccessOf(ctx.input).via !== "command-invoke") return markdown;
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line.startsWith("kubectl ") ? commandInvoke(ctx, line) : line;
      return line.replace(/`(kubectl [^`]+)`/g, (_, command: string) => `\`${commandInvoke(ctx, command)}\``);
    })
    .join("\n");
}

/** The runbooks' paragraph on reaching the API, in the plan's own names. */
export function apiAccessSection(ctx: PlanContext): string {
  const { input } = ctx;
  const access = apiAccessOf(input);
  const text = {
    "authorized-cidrs": `The API server answers only ${access.via === "authorized-cidrs" ? access.cidrs.join(", ") : ""} (api_authorized_cidrs) and the cluster's own network: run kubectl and helm from there.`,
    "command-invoke": `The API server is private (no authorized ranges in the plan): every kubectl command below runs through \`az aks command invoke\`, which starts a pod in the cluster with your Azure credentials and returns its output. Helm installs run the same way (\`--command 'helm ...' --file <values>\`). To use kubectl directly, run it from a machine in the ${input.cluster_name}-vnet VNet, or set api_authorized_cidrs (the cluster is then recreated as a public, range-limited endpoint).`,
    "dns-endpoint": `The IP endpoint is private: get credentials for the DNS endpoint (\`gcloud container clusters get-credentials ${input.cluster_name} --region ${input.region} --dns-endpoint\`), which IAM gates.`,
    "vpc-only": `The API endpoint is private and the plan names no authorized ranges: run kubectl and helm from inside the VPC (VPN, bastion), or apply the cluster Terraform with \`-var='api_authorized_cidrs=["<your IP>/32"]'\` to open it to your address (and again without it to close it).`,
    direct:
      "Run kubectl with the administrator kubeconfig kubeadm init wrote, from a network that reaches the control plane.",
  }[access.via];
  return `## API access
- [ ] ${text}

`;
}
