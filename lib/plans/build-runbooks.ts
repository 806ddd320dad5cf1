// Runbooks for the reference's troubleshooting cases and its debug checklist, written with this plan's own
// names so every command can be pasted as it is.
import { apiAccessSection, routeKubectl } from "./api-access";
import { batchWorkerName, streamConsumerName } from "./build-queue-workers";
import { efaDevicesPerRank, trainingJobNames, usesInfiniband } from "./build-training-job";
import { loaderJobName, trainingDataSource } from "./build-training-loader";
import { colocatedTrainingPool, gpuDirectMachineTypes, rdmaResource } from "./training-interconnect";
import { inferenceQueries } from "./build-scaled-object";
import { poolTaints, taintString, type PlanContext } from "./plan-context";
import type { PlanRequirement } from "./plan-requirements";
import { aksPoolName } from "./terraform-aks";

/**
 * Only Karpenter (EKS) turns fallback_instance_types into capacity: a GKE or AKS node pool has one machine size and
 * on premises capacity is the machines joined, so there the fallback is another pool with the same labels and taints.
 */
function fallbackAdvice(ctx: PlanContext, pool: PlanContext["input"]["node_pools"][number]): string {
  const now = pool.fallback_instance_types.join(", ") || "none";
  switch (ctx.input.cloud_provider) {
    case "aws":
      return `Add fallback instance types to ${pool.name} (now: ${now}): Karpenter launches them when ${pool.instance_type} is short.`;
    case "gcp":
    case "azure": {
      const service =
        ctx.input.cloud_provider === "gcp"
          ? "A GKE node pool has one machine type"
          : "An AKS node pool has one VM size";
      return `${service}, so fallback instance types (now: ${now}) are not applied: add a second node pool of another GPU size with ${pool.name}'s labels and taints; the cluster autoscaler grows whichever pool can.`;
    }
    case "on_premise":
      return `Join machines of another GPU server profile with ${pool.name}'s labels and taints (kubeadm/join-${pool.name}.yaml).`;
  }
}

function gpuNodesNotScaling(ctx: PlanContext): string {
  const { input } = ctx;
  const pool = ctx.gpuPools.includes(ctx.workloadPool) ? ctx.workloadPool : (ctx.gpuPools[0] ?? input.node_pools[0]);
  // The plan schema requires at least one node pool.
  if (!pool) throw new Error("a plan has no node pool");
  const cloudCheck = {
    aws: `aws ec2 describe-instance-type-offerings --region ${input.region} --location-type availability-zone --filters Name=instance-type,Values=${pool.instance_type}\naws service-quotas list-service-quotas --service-code ec2 --region ${input.region} --query "Quotas[?contains(QuotaName, 'G and VT') || contains(QuotaName, 'P instances')]"`,
    gcp: `gcloud compute accelerator-types list --filter="zone~${input.region}"\ngcloud compute regions describe ${input.region} --format="table(quotas.metric,quotas.limit,quotas.usage)" | grep -i gpu\ngcloud container node-pools describe ${pool.name} --cluster ${input.cluster_name} --region ${input.region} --format="yaml(autoscaling,status)"`,
    // Quota is counted per VM family ("standardNDASv4_A100Family"), never per size: look the family up first. Spot
    // VMs count against the regional low-priority quota (lowPriorityCores) instead of their family's.
    azure: `az vm list-skus --location ${input.region} --size ${pool.instance_type} --output table\n${
      pool.capacity_type === "spot"
        ? `az vm list-usage --location ${input.region} --query "[?name.value=='lowPriorityCores']" --output table`
        : `family=$(az vm list-skus --location ${input.region} --size ${pool.instance_type} --query "[0].family" --output tsv)\naz vm list-usage --location ${input.region} --query "[?name.value=='$family']" --output table`
    }\naz aks nodepool show --cluster-name ${input.cluster_name} --resource-group ${input.cluster_name}-rg --name ${aksPoolName(pool, input.node_pools.indexOf(pool))} --query "{min:minCount,max:maxCount,count:count,state:provisioningState}"`,
    on_premise: `kubectl get nodes -l ${Object.entries(pool.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")} -o wide\nkubectl describe nodes -l ${Object.entries(pool.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",")} | grep -A8 Allocatable`,
  }[input.cloud_provider];
  // Only EKS runs an autoscaler in the cluster (Karpenter); GKE and AKS run theirs in the managed control plane and
  // report through the cluster-autoscaler-status ConfigMap and events; on premises capacity is the machines joined.
  const autoscaler = {
    aws: `kubectl logs -n karpenter -l app.kubernetes.io/name=karpenter -c controller --tail=200\nkubectl get nodepools\nkubectl describe nodepool ${pool.name}\nkubectl get nodeclaims -l karpenter.sh/nodepool=${pool.name}`,
    gcp: `kubectl get configmap cluster-autoscaler-status -n kube-system -o yaml\nkubectl get events -A --field-selector reason=NotTriggerScaleUp\nkubectl get events -A --field-selector reason=TriggeredScaleUp`,
    azure: `kubectl get configmap cluster-autoscaler-status -n kube-system -o yaml\nkubectl get events -A --field-selector reason=NotTriggerScaleUp\naz aks show --name ${input.cluster_name} --resource-group ${input.cluster_name}-rg --query autoScalerProfile`,
    on_premise: `# No node autoscaler on premises: add machines to ${pool.name} and join them with kubeadm join --config kubeadm/join-${pool.name}.yaml (token and CA hash from kubeadm token create --print-join-command).\nkubectl get nodes -l ${Object.entries(
      pool.labels,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}`,
  }[input.cloud_provider];
  return `# Runbook: GPU nodes not scaling (${input.cluster_name})

## Symptoms
- Pods requesting nvidia.com/gpu stay Pending in ${ctx.workloadNamespace}
- No new nodes appear in node pool ${pool.name} (${pool.instance_type}, ${pool.min_nodes}-${pool.max_nodes} nodes)

## Diagnosis
\`\`\`bash
kubectl get pods -n ${ctx.workloadNamespace} --field-selector=status.phase=Pending
kubectl describe pods -n ${ctx.workloadNamespace} --field-selector=status.phase=Pending | grep -A5 Events
${autoscaler}
${cloudCheck}
\`\`\`

## Resolution
1. Check the GPU quota in ${input.region}; request an increase for ${pool.instance_type} if it is exhausted.
2. Check ${pool.instance_type} is offered in every zone of ${input.region}.
3. ${fallbackAdvice(ctx, pool)}
4. Confirm pods tolerate ${poolTaints(input, pool).map(taintString).join(", ") || "no taints"} and select ${Object.entries(
    pool.labels,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}.
`;
}

function highLatency(ctx: PlanContext): string {
  const { input } = ctx;
  const ns = input.namespaces.inference;
  const ms = input.model_server.name;
  const q = inferenceQueries(ctx);
  return `# Runbook: high inference latency (${ms} in ${ns})

## Symptoms
- p99 latency above ${input.autoscaling.latency_p99_ms_threshold} ms
- Queue depth above ${input.autoscaling.queue_depth_threshold} waiting requests per replica

## Diagnosis
\`\`\`bash
kubectl top pods -n ${ns} -l app.kubernetes.io/name=${ms}
kubectl get scaledobject ${ms}-scaler -n ${ns}
kubectl get hpa -n ${ns} keda-hpa-${ms}-scaler
kubectl describe hpa -n ${ns} keda-hpa-${ms}-scaler
kubectl exec -n ${ns} deploy/${ms} -c server -- nvidia-smi
\`\`\`

PromQL the scaler uses:
- queue depth: \`${q.queueDepth}\`
- GPU utilization: \`${q.gpuUtilization}\`
- p99 latency (ms): \`${q.latencyP99Ms}\`

## Resolution
1. If replicas sit at ${input.scale_requirements.max_replicas}, raise max_replicas or the node pool maximum.
2. If GPU utilization is below ${Math.round(input.scale_requirements.target_gpu_utilization * 100)}% while latency is high, the bottleneck is not the GPU: review batch size and CPU limits (${input.model_server.cpu} CPU, ${input.model_server.memory}).
3. Check for cold starts: \`kubectl get events -n ${ns} --sort-by=.lastTimestamp | grep ${ms}\`.
`;
}

function costOverruns(ctx: PlanContext): string {
  const { input } = ctx;
  const spot =
    input.cloud_provider === "aws"
      ? "kubectl get nodes -l karpenter.sh/capacity-type=spot"
      : input.cloud_provider === "gcp"
        ? "kubectl get nodes -l cloud.google.com/gke-spot=true"
        : input.cloud_provider === "azure"
          ? "kubectl get nodes -l kubernetes.azure.com/scalesetpriority=spot"
          : "# no spot capacity on premises";
  const orphans = {
    aws: `aws ec2 describe-volumes --region ${input.region} --filters Name=status,Values=available`,
    gcp: `gcloud compute disks list --filter="-users:*"`,
    azure: `az disk list --query "[?diskState=='Unattached']" --output table`,
    on_premise: "kubectl get pv | grep Released",
  }[input.cloud_provider];
  return `# Runbook: cost overruns (${input.cluster_name})

## Symptoms
- Monthly spend above the expected estimate of this plan
- Nodes running with no GPU pods

## Diagnosis
\`\`\`bash
kubectl get pods -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,GPU:.spec.containers[*].resources.requests.nvidia\\.com/gpu --field-selector=status.phase=Running
${input.node_pools
  .map(
    (p) =>
      `kubectl get nodes -l ${Object.entries(p.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")} -o wide`,
  )
  .join("\n")}
${spot}
${orphans}
\`\`\`

## Resolution
1. Apply the scheduled scaling recommendation for the serving pools.
2. Move training to spot with checkpoints in the ${input.training.job_name}-checkpoints volume.
3. Lower min_nodes of pools that idle (${input.node_pools.map((p) => `${p.name}: ${p.min_nodes}`).join(", ")}).
4. Set budgets and alerts in the cloud billing console.
`;
}

/** The workload's service account and a command that runs inside one of its pods (images run as non-root, so no kubectl run). */
function workloadHandles(ctx: PlanContext): { serviceAccount: string; execPrefix: string; resolveTarget: string } {
  const { input } = ctx;
  const ns = ctx.workloadNamespace;
  switch (input.workload_type) {
    case "training": {
      const names = trainingJobNames(ctx);
      return {
        serviceAccount: names.serviceAccount,
        execPrefix: `kubectl exec -n ${ns} job/${names.job} -c trainer --`,
        resolveTarget: names.masterAddress,
      };
    }
    case "inference":
      return {
        serviceAccount: `${input.model_server.name}-sa`,
        execPrefix: `kubectl exec -n ${ns} deploy/${input.model_server.name} -c server --`,
        resolveTarget: "kubernetes.default.svc.cluster.local",
      };
    case "batch":
      return {
        serviceAccount: `${batchWorkerName}-sa`,
        execPrefix: `kubectl exec -n ${ns} $(kubectl get pods -n ${ns} -l app.kubernetes.io/name=${batchWorkerName} -o name | head -1) -c consumer --`,
        resolveTarget: input.autoscaling.redis_address.split(":")[0]!,
      };
    case "streaming":
      return {
        serviceAccount: `${streamConsumerName}-sa`,
        execPrefix: `kubectl exec -n ${ns} deploy/${streamConsumerName} -c consumer --`,
        resolveTarget: input.autoscaling.kafka_bootstrap_servers.split(",")[0]!.split(":")[0]!,
      };
  }
}

const providedBy: Record<PlanRequirement["provided_by"], string> = {
  plan: "installed by this plan",
  cloud: "run by the managed service",
  cluster: "install before applying",
  you: "provided by you, outside the cluster",
};

/** The plan's requirements as a checklist: what must run, at which version, with which settings. */
export function requirementsSection(requires: readonly PlanRequirement[]): string {
  if (requires.length === 0) return "";
  const items = requires.map((r) => {
    const settings = r.settings.map((s) => `\n  - \`${s.key}: ${s.value}\`: ${s.why}`).join("");
    return `- [ ] ${r.name} ${r.version} (${providedBy[r.provided_by]}; needed by ${r.needed_by.join(", ") || "the plan"})${settings}`;
  });
  return `## Requirements
${items.join("\n")}

`;
}

function debugChecklist(ctx: PlanContext, requires: readonly PlanRequirement[]): string {
  const { input } = ctx;
  const ns = ctx.workloadNamespace;
  const handles = workloadHandles(ctx);
  return `# Debug checklist (${input.cluster_name}, ${input.workload_type} in ${ns})

${requirementsSection(requires)}${apiAccessSection(ctx)}${
    input.cloud_provider === "aws" && input.infrastructure_task === "cluster_setup"
      ? `## Bootstrap (EKS)
- [ ] The same Terraform apply installs in-cluster resources (StorageClass, Helm releases) through the API endpoint, which answers only the VPC${input.api_authorized_cidrs.length > 0 ? ` and ${input.api_authorized_cidrs.join(", ")}` : ""}. From elsewhere, apply with \`-var='api_authorized_cidrs=["<your IP>/32"]'\`, then apply again without it to close the endpoint again. We open a narrow CIDR list rather than split the Terraform into two roots so that one state and one apply own the cluster and what runs on it; from inside the VPC (VPN, bastion) nothing needs opening.

`
      : ""
  }## Cluster health
- [ ] \`kubectl get --raw='/readyz?verbose'\` all checks ok
- [ ] \`kubectl get nodes -o wide\` every pool has Ready nodes (${input.node_pools.map((p) => p.name).join(", ")})
- [ ] \`kubectl -n kube-system get pods -l k8s-app=kube-dns\` CoreDNS running

## GPU workloads
- [ ] ${input.cloud_provider === "gcp" ? "`kubectl -n kube-system get ds -l k8s-app=nvidia-gpu-device-plugin` (managed by GKE)" : "`kubectl -n nvidia-device-plugin get ds nvidia-device-plugin`"} desired = ready
- [ ] \`kubectl get nodes -o custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\\.com/gpu\` GPUs visible
- [ ] NCCL: \`kubectl logs -n ${input.namespaces.training} job/${input.training.job_name} | grep -i nccl\`
${
  input.workload_type === "training" && efaDevicesPerRank(ctx) > 0
    ? `- [ ] EFA: the training image (${input.training.image}) must ship libfabric and the aws-ofi-nccl plugin (AWS Deep Learning Containers for PyTorch do; check any other image): the log shows \`NET/OFI Selected Provider is efa\`, not \`NET/Socket\`, or NCCL falls back to TCP several times slower
`
    : ""
}${trainingInterconnectChecks(ctx)}
${trainingDataChecks(ctx)}## Networking
- [ ] \`kubectl get networkpolicy -n ${ns}\` default-deny-all plus the allows
- [ ] DNS from the workload: \`${handles.execPrefix} getent hosts ${handles.resolveTarget}\`

## Storage
- [ ] \`kubectl get pvc -n ${ns}\` all Bound

## Metrics and autoscaling inputs
- [ ] \`kubectl get svc -n ${input.namespaces.monitoring} prometheus-operated\` exists: the Prometheus at ${input.autoscaling.prometheus_address} the scalers query
- [ ] \`kubectl get podmonitor,servicemonitor -A\` lists the model server's PodMonitor and the DCGM exporter's ServiceMonitor
${
  input.workload_type === "batch"
    ? `- [ ] \`${handles.execPrefix} redis-cli -h ${input.autoscaling.redis_address.split(":")[0]} -p ${input.autoscaling.redis_address.split(":")[1]} LLEN ${input.autoscaling.batch_queue}\` the queue the ScaledJob measures
`
    : ""
}
## Security
- [ ] \`kubectl auth can-i --list -n ${ns} --as=system:serviceaccount:${ns}:${handles.serviceAccount}\`
- [ ] \`kubectl get ns ${ns} --show-labels\` shows pod-security.kubernetes.io/enforce=restricted
- [ ] \`kubectl get externalsecret -n ${ns}\` SecretSynced (when the security plan is applied)
`;
}

export function buildRunbooks(ctx: PlanContext, requires: readonly PlanRequirement[] = []): string[] {
  return [gpuNodesNotScaling(ctx), highLatency(ctx), costOverruns(ctx), debugChecklist(ctx, requires)].map((runbook) =>
    routeKubectl(ctx, runbook),
  );
}

/** How the code and data reach the ranks: the upload, the loader Job, the ranks waiting for it, and a re-run. */
function trainingDataChecks(ctx: PlanContext): string {
  const { input } = ctx;
  if (input.workload_type !== "training" || !["cluster_setup", "auto_scaling"].includes(input.infrastructure_task))
    return "";
  const ns = input.namespaces.training;
  const loader = loaderJobName(ctx);
  const job = input.training.job_name;
  const source = trainingDataSource(ctx);
  const upload = {
    aws: `aws s3 sync ./my-training/ ${source}`,
    gcp: `gcloud storage rsync --recursive ./my-training/ ${source}`,
    azure: `az storage blob sync --account-name ${source.split("//")[1]!.split(".")[0]} --container ${source.split("/")[3]} --destination ${source.split("/").slice(4).join("/")} --source ./my-training/ --auth-mode login`,
    on_premise: `aws s3 sync ./my-training/ s3://${source.split("/").slice(3).join("/")} --endpoint-url ${input.disaster_recovery.object_store_url}`,
  }[input.cloud_provider];
  return `## Training code and data
- [ ] Before applying, upload them (${input.training.script} is ${input.training.script.startsWith("/data/") ? `the object ${input.training.script.slice("/data/".length)} under the prefix` : "in the image"}): \`${upload}\`
- [ ] \`kubectl wait --for=condition=Complete job/${loader} -n ${ns} --timeout=4h\` the loader copied the prefix into ${job}-data; \`kubectl logs -n ${ns} job/${loader}\` says why not
- [ ] Ranks show Init:0/1 (init container wait-for-data) until then, holding their GPU nodes (so upload first), and the Job fails at once, naming the reason, if the loader finds nothing or the script is missing
- [ ] A new run with new data: upload, \`kubectl delete job ${loader} ${job} -n ${ns}\`, apply the loader alone (\`kubectl apply -f <the plan's manifests> -l app.kubernetes.io/name=${loader}\`) and wait for it as above, then apply the rest: a rank started before the new loader clears the old run's marker would read the old data

`;
}

/** Multi-node training checks on GKE and AKS: the nodes' placement, InfiniBand, and what is not generated (GPUDirect). */
function trainingInterconnectChecks(ctx: PlanContext): string {
  const { input } = ctx;
  if (input.workload_type !== "training" || input.training.nodes < 2) return "";
  const pool = ctx.workloadPool;
  const lines: string[] = [];
  if (colocatedTrainingPool(input, pool))
    lines.push(
      input.cloud_provider === "gcp"
        ? `- [ ] Placement: \`gcloud container node-pools describe ${pool.name} --cluster ${input.cluster_name} --region ${input.region} --format='value(placementPolicy.type,locations)'\` shows COMPACT in the one training zone; a pool created without it must be recreated (GKE sets placement only at creation)`
        : `- [ ] Placement: the ${pool.instance_type} pool's VMs are in proximity placement group ${input.cluster_name}-training (\`az ppg show -g ${input.cluster_name}-rg -n ${input.cluster_name}-training --query 'virtualMachineScaleSets[].id'\`)`,
    );
  if (usesInfiniband(ctx))
    lines.push(
      `- [ ] InfiniBand: register the AKS feature once (\`az feature register --namespace Microsoft.ContainerService --name AKSInfinibandSupport\`) so the pool's nodes share one fabric; the Network Operator's pods run and \`kubectl get nodes -o custom-columns=NAME:.metadata.name,RDMA:.status.allocatable.rdma/shared_ib\` shows ${rdmaResource} on the ${pool.instance_type} nodes; the NCCL log shows \`NET/IB\`, not \`NET/Socket\``,
    );
  const gpuDirect = gpuDirectMachineTypes[pool.instance_type];
  if (input.cloud_provider === "gcp" && gpuDirect)
    lines.push(
      `- [ ] ${gpuDirect} is not generated: ${pool.instance_type} reaches its full GPU-to-GPU bandwidth only with GKE's multi-networking setup (extra VPCs, the NCCL plugin installer, the ${gpuDirect === "GPUDirect-TCPX" ? "tcpx" : "tcpxo"} daemon sidecar); until then NCCL uses the primary NIC`,
    );
  return lines.map((l) => `${l}\n`).join("");
}
