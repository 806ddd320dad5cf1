"use client";
// The sections of the request form; the form shows only the ones that matter to the kind (sectionsForKind).
import dynamic from "next/dynamic";
import { useController, useFormContext, useWatch } from "react-hook-form";
import type { RequestKind } from "@/lib/requests/request-kinds";
import { cloudProviders, type CloudProvider } from "@/lib/pricing/lookup-price";
import { workloadTypes, type PlanInput } from "@/lib/plans/schema";
import { pickWorkloadPool } from "@/lib/plans/plan-context";
import { interconnectOf } from "@/lib/plans/training-interconnect";
import { NumberField, SelectField, TextField } from "./form-fields";
import { HpaBehaviorField } from "./hpa-behavior-field";
import { cloudDefaults, type FormSection } from "./request-form-model";

// The node pools sit low in each kind's form: server-rendered as the rest, the table's code (instance prices, GPU
// specs) loads in its own chunk beside the page's, which keeps the first load small.
const NodePoolsTable = dynamic(() => import("./node-pools-table").then((m) => m.NodePoolsTable));

const cloudLabels: Record<CloudProvider, string> = {
  aws: "AWS (EKS)",
  gcp: "Google Cloud (GKE)",
  azure: "Azure (AKS)",
  on_premise: "On premises (kubeadm)",
};

function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <section className="card form-section" aria-labelledby={`sec-${id}`}>
      <h2 id={`sec-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

function Basics() {
  const { setValue, getValues } = useFormContext();
  return (
    <Section title="Where it runs" id="basics">
      <div className="field-row">
        <SelectField
          name="input.cloud_provider"
          label="Cloud"
          help="Changing the cloud resets the region and node pools to that cloud's defaults (instance types differ)."
          options={cloudProviders.map((c) => ({ value: c, label: cloudLabels[c] }))}
          onValueChange={(cloud) => {
            const d = cloudDefaults(cloud as CloudProvider, getValues("kind") as RequestKind);
            setValue("input.region", d.region, { shouldValidate: true });
            setValue("input.node_pools", d.node_pools, { shouldValidate: true });
          }}
        />
        <TextField name="input.region" label="Region" help="e.g. us-west-2, us-central1, eastus; dc1 on premises." />
        <TextField
          name="input.cluster_name"
          label="Cluster name"
          help="Lowercase letters, digits and '-'; names the cluster and its resources."
        />
        <TextField
          name="input.kubernetes_version"
          label="Kubernetes version"
          help="EKS, GKE and AKS: 1.34 to 1.36; on premises (kubeadm): 1.29 to 1.36."
        />
      </div>
    </Section>
  );
}

function Workload() {
  return (
    <Section title="Workload" id="workload">
      <SelectField
        name="input.workload_type"
        label="Workload type"
        help="Decides the namespace, the node pool the workload lands on and which objects are generated."
        options={workloadTypes.map((w) => ({ value: w, label: w }))}
      />
    </Section>
  );
}

function Scale() {
  return (
    <Section title="Scale requirements" id="scale">
      <div className="field-row">
        <NumberField
          name="input.scale_requirements.min_replicas"
          label="Minimum replicas"
          min={0}
          help="Replicas kept warm at idle (0 allows scale to zero, with a cold start)."
        />
        <NumberField
          name="input.scale_requirements.max_replicas"
          label="Maximum replicas"
          min={1}
          help="Upper bound for the autoscaler; caps the worst-case cost."
        />
        <NumberField
          name="input.scale_requirements.target_gpu_utilization"
          label="Target GPU utilization"
          step={0.05}
          min={0.05}
          max={1}
          help="A fraction: 0.8 scales out above 80% and keeps 20% headroom."
        />
      </div>
    </Section>
  );
}

function ModelServer() {
  return (
    <Section title="Model server" id="model_server">
      <div className="field-row">
        <TextField name="input.model_server.name" label="Name" help="Deployment and Service name." />
        <TextField
          name="input.model_server.image"
          label="Image"
          help="Pin by digest (@sha256:…) in production: a tag alone is a security finding."
        />
        <SelectField
          name="input.model_server.server"
          label="Server"
          help="What the image runs: command, probes and metrics follow it."
          options={[
            { value: "triton", label: "NVIDIA Triton (tritonserver)" },
            { value: "vllm", label: "vLLM (vllm serve, OpenAI API)" },
          ]}
        />
        <NumberField
          name="input.model_server.port"
          label="Port"
          min={1}
          max={65535}
          help="Where the server listens for requests (API defaults: Triton 8080, vLLM 8000)."
        />
        <NumberField
          name="input.model_server.metrics_port"
          label="Metrics port"
          min={1}
          max={65535}
          help="Triton: its own Prometheus port, different from the port. vLLM serves /metrics on its API port: the same number."
        />
        <NumberField
          name="input.model_server.gpus_per_replica"
          label="GPUs per replica"
          min={1}
          max={8}
          help="Must fit on one node of the inference pool."
        />
        <TextField name="input.model_server.cpu" label="CPU" help='Per replica, e.g. "3" or "3500m".' />
        <TextField name="input.model_server.memory" label="Memory" help='Per replica, e.g. "12Gi".' />
      </div>
    </Section>
  );
}

function Autoscaling() {
  return (
    <Section title="Autoscaling (KEDA)" id="autoscaling">
      <div className="field-row">
        <NumberField
          name="input.autoscaling.queue_depth_threshold"
          label="Queue depth threshold"
          min={1}
          help="Pending requests per replica before KEDA adds one."
        />
        <NumberField
          name="input.autoscaling.latency_p99_ms_threshold"
          label="p99 latency threshold (ms)"
          min={1}
          help="Scale out when the p99 latency exceeds this."
        />
        <NumberField
          name="input.autoscaling.polling_interval_seconds"
          label="Polling interval (s)"
          min={5}
          help="How often KEDA reads the metrics."
        />
        <NumberField
          name="input.autoscaling.cooldown_seconds"
          label="Cooldown (s)"
          min={0}
          help="Wait after the last trigger before scaling in."
        />
        <TextField
          name="input.autoscaling.prometheus_address"
          label="Prometheus address"
          help="Where KEDA queries the metrics: a Service in the monitoring namespace, by default the Prometheus Operator's prometheus-operated."
        />
      </div>
      <HpaBehaviorField />
    </Section>
  );
}

function Training() {
  return (
    <Section title="Training job" id="training">
      <div className="field-row">
        <TextField
          name="input.training.job_name"
          label="Job name"
          help="Names the Indexed Job and its headless Service."
        />
        <TextField
          name="input.training.image"
          label="Image"
          help="PyTorch image with torchrun; pin by digest in production."
        />
        <TextField
          name="input.training.script"
          label="Training script"
          help="What torchrun runs on every rank. Under /data it comes from the plan's bucket: upload it to training/<job name>/ (code/train.py is /data/code/train.py) and a loader Job copies it before the ranks start."
        />
        <NumberField
          name="input.training.nodes"
          label="Nodes"
          min={1}
          max={512}
          help="Worker pods (ranks' hosts); world size is nodes × GPUs per node."
        />
        <NumberField
          name="input.training.gpus_per_node"
          label="GPUs per node"
          min={1}
          max={16}
          help="Must fit on one node of the GPU training pool."
        />
        <TextField
          name="input.training.data_volume_size"
          label="Data volume"
          help='Holds the copy of training/<job name>/ the ranks read at /data, e.g. "1Ti".'
        />
        <TextField name="input.training.checkpoint_volume_size" label="Checkpoint volume" help='e.g. "500Gi".' />
        <NumberField
          name="input.training.backoff_limit"
          label="Retries (backoff limit)"
          min={0}
          help="Pod failures tolerated before the job fails."
        />
      </div>
      <InterconnectField />
    </Section>
  );
}

/** Why the interconnect switch does nothing for the GPU training pool's instance type, or undefined when it applies. */
function interconnectUnavailable(cloud: CloudProvider, instanceType: string): string | undefined {
  if (interconnectOf(cloud, instanceType)) return undefined;
  if (cloud === "gcp")
    return `Not available on GKE: the Terraform places the GPU training pool's nodes with a COMPACT placement policy instead, and ${instanceType} has no EFA or InfiniBand.`;
  return `Not available: ${instanceType}, the training pool's instance type, has no EFA or InfiniBand, so ranks on several nodes talk NCCL over TCP.`;
}

/**
 * training.efa: whether multi-node ranks use the pool's RDMA interconnect (EFA on AWS p4d/p5, InfiniBand on Azure
 * ND-series). On by default, as in the schema; disabled, with the reason, when the training pool's type has none.
 */
function InterconnectField() {
  const {
    field: { name, value, ref, onBlur, onChange },
  } = useController({ name: "input.training.efa" });
  const cloud = useWatch({ name: "input.cloud_provider" }) as CloudProvider;
  const pools = useWatch({ name: "input.node_pools" }) as PlanInput["node_pools"] | undefined;
  const nodes = useWatch({ name: "input.training.nodes" }) as number | undefined;
  const pool =
    pools && pools.length > 0
      ? pickWorkloadPool({ cloud_provider: cloud, node_pools: pools, workload_type: "training" })
      : undefined;
  const type = pool?.instance_type ?? "";
  const interconnect = interconnectOf(cloud, type);
  const unavailable = pool ? interconnectUnavailable(cloud, type) : "Add a GPU training node pool first.";
  const id = "f-input-training-efa";
  return (
    <div className="field">
      <label className="choice" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          name={name}
          ref={ref}
          checked={value !== false}
          disabled={unavailable !== undefined}
          aria-describedby={`${id}-hint`}
          onBlur={onBlur}
          onChange={(e) => onChange(e.target.checked)}
        />{" "}
        High-speed interconnect (EFA / InfiniBand)
      </label>
      <div className="help" id={`${id}-hint`}>
        {unavailable ??
          `Ranks on ${type} talk NCCL over ${interconnect!.name} (${interconnect!.detail})${
            interconnect!.name === "EFA"
              ? ", with the EFA device plugin and a cluster placement group"
              : "; the plan then requires the NVIDIA Network Operator"
          }. Turn off only for a cluster that cannot run it: NCCL falls back to TCP, several times slower.${
            (nodes ?? 1) < 2 ? " Applies once the job spans 2 or more nodes." : ""
          }`}
      </div>
    </div>
  );
}

function DisasterRecovery() {
  const target = (key: string, label: string) => (
    <div className="field-row" key={key}>
      <NumberField
        name={`input.disaster_recovery.${key}.rto_minutes`}
        label={`${label}: RTO (min)`}
        min={1}
        help="Longest acceptable time to restore service."
      />
      <NumberField
        name={`input.disaster_recovery.${key}.rpo_minutes`}
        label={`${label}: RPO (min)`}
        min={0}
        help="Most data you can afford to lose, in minutes."
      />
    </div>
  );
  return (
    <Section title="Backups and recovery" id="disaster_recovery">
      <div className="field-row">
        <TextField
          name="input.disaster_recovery.backup_schedule"
          label="Backup schedule (cron)"
          help='5 fields, UTC: "0 */6 * * *" is every 6 hours.'
        />
        <NumberField
          name="input.disaster_recovery.backup_retention_days"
          label="Backup retention (days)"
          min={1}
          help="How long Velero keeps each backup."
        />
        <TextField
          name="input.disaster_recovery.backup_bucket"
          label="Backup bucket"
          help="Object storage bucket for the BackupStorageLocation."
        />
      </div>
      {target("cluster_failure", "Cluster failure")}
      {target("model_corruption", "Model corruption")}
      {target("data_pipeline_failure", "Data pipeline failure")}
    </Section>
  );
}

function Namespaces() {
  return (
    <Section title="Namespaces" id="namespaces">
      <div className="field-row">
        {(["training", "inference", "batch", "streaming"] as const).map((w) => (
          <TextField
            key={w}
            name={`input.namespaces.${w}`}
            label={`${w} namespace`}
            help="Gets default-deny NetworkPolicies and Pod Security labels."
          />
        ))}
      </div>
    </Section>
  );
}

function NodePools() {
  return (
    <Section title="Node pools" id="node_pools">
      <NodePoolsTable />
    </Section>
  );
}

const components: Record<FormSection, () => React.ReactElement> = {
  basics: Basics,
  workload: Workload,
  scale: Scale,
  node_pools: NodePools,
  model_server: ModelServer,
  autoscaling: Autoscaling,
  training: Training,
  disaster_recovery: DisasterRecovery,
  namespaces: Namespaces,
};

export function RequestFormSections({ sections }: { sections: FormSection[] }) {
  return (
    <>
      {sections.map((s) => {
        const C = components[s];
        return <C key={s} />;
      })}
    </>
  );
}
