// The reference design's known errors, corrected, and the shape of what each task produces.
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { amiAlias } from "./build-karpenter";
import { auditPolicyFile, auditPolicyPath } from "./on-prem-cluster-plan";
import { generatePlan } from "./generate-plan";
import { parse as parseYaml } from "yaml";
import { planInputSchema, type PlanInputDraft } from "./schema";

type Any = Record<string, any>;
const plan = (draft: PlanInputDraft) => generatePlan(planInputSchema.parse(draft));
const find = (objects: KubernetesObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (!name || o.metadata.name === name)) as Any | undefined;

describe("distributed training (the reference's MASTER_ADDR could not resolve)", async () => {
  const out = await plan({
    infrastructure_task: "cluster_setup",
    workload_type: "training",
    training: { nodes: 3, gpus_per_node: 8 },
  });
  const job = find(out.deployment_manifests, "Job")!;
  const service = find(out.deployment_manifests, "Service")!;
  const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: Any) => [e.name, e.value]));

  it("is an Indexed Job whose pods join a headless Service through subdomain", () => {
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.completions).toBe(3);
    expect(job.spec.parallelism).toBe(3);
    expect(service.spec.clusterIP).toBe("None");
    expect(service.spec.publishNotReadyAddresses).toBe(true);
    expect(job.spec.template.spec.subdomain).toBe(service.metadata.name);
    for (const [k, v] of Object.entries(service.spec.selector)) expect(job.spec.template.metadata.labels[k]).toBe(v);
  });

  it("points MASTER_ADDR at index 0's DNS name under that Service", () => {
    expect(env.MASTER_ADDR).toBe(`${job.metadata.name}-0.${service.metadata.name}.ml-training.svc.cluster.local`);
  });

  it("sets WORLD_SIZE to nodes x GPUs per node and requests the GPUs", () => {
    expect(env.WORLD_SIZE).toBe("24");
    const resources = job.spec.template.spec.containers[0].resources;
    expect(resources.requests["nvidia.com/gpu"]).toBe("8");
    expect(resources.limits["nvidia.com/gpu"]).toBe("8");
  });

  it("schedules on the GPU training pool and mounts /dev/shm, data and checkpoints", () => {
    const pod = job.spec.template.spec;
    // The pool falls back to p4de (A100 80GB) and p5 (H100), whose nodes carry their own accelerator label, so the
    // pod selects the pool's workload type only.
    expect(pod.nodeSelector).toEqual({ "workload-type": "training" });
    expect(job.spec.template.metadata.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
    expect(pod.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Equal",
      value: "present",
      effect: "NoSchedule",
    });
    expect(pod.volumes.find((v: Any) => v.name === "shm").emptyDir.medium).toBe("Memory");
    const claims = pod.volumes
      .filter((v: Any) => v.persistentVolumeClaim)
      .map((v: Any) => v.persistentVolumeClaim.claimName);
    for (const claim of claims) expect(find(out.deployment_manifests, "PersistentVolumeClaim", claim)).toBeDefined();
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  it("writes Terraform for EKS with a fixed node group per pool floor and the device plugin DaemonSet tolerating the GPU taint", () => {
    const files = (out.infrastructure_config.cluster as Any).files;
    expect(files["main.tf"]).toContain('source  = "terraform-aws-modules/eks/aws"');
    expect(files["main.tf"]).toMatch(/one_nat_gateway_per_az = true/);
    for (const addon of ["coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"])
      expect(files["main.tf"]).toContain(addon);
    // gpu-training has min_nodes 0: Karpenter alone provisions it (a managed group needs max_size >= 1).
    for (const group of ["system", "cpu_training", "inference"]) expect(files["main.tf"]).toContain(`${group} = {`);
    expect(files["main.tf"]).not.toContain("gpu_training = {");
    expect(files["main.tf"]).not.toContain("k8s.io/cluster-autoscaler");
    expect(out.deployment_manifests.filter((o) => o.kind === "NodePool").map((o) => o.metadata.name)).toContain(
      "gpu-training",
    );
    expect(files["main.tf"]).toContain('effect = "NO_SCHEDULE"');
    const ds = find(out.deployment_manifests, "DaemonSet")!;
    expect(ds.spec.template.spec.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
    expect(ds.spec.template.spec.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
  });
});

describe("auto_scaling", () => {
  it("uses Karpenter v1 (not v1beta1) with a complete nodeClassRef and an alias-only EC2NodeClass", async () => {
    const out = await plan({ infrastructure_task: "auto_scaling", workload_type: "training" });
    const pools = out.deployment_manifests.filter((o) => o.kind === "NodePool") as Any[];
    // One NodePool per pool and GPU model: gpu-training's p4de and p5 fallbacks and inference's g6 get their own.
    expect(pools.map((p) => p.metadata.name)).toEqual([
      "cpu-training",
      "gpu-training",
      "gpu-training-nvidia-a100-80gb",
      "gpu-training-nvidia-h100",
      "inference",
      "inference-nvidia-l4",
    ]);
    for (const p of pools) {
      expect(p.apiVersion).toBe("karpenter.sh/v1");
      expect(p.spec.template.spec.nodeClassRef).toEqual({
        group: "karpenter.k8s.aws",
        kind: "EC2NodeClass",
        // The EFA training pools' nodes are launched into the training placement group by a node class of their own.
        name: p.metadata.name.startsWith("gpu-training") ? "ml-production-training-efa" : "ml-production-nodes",
      });
      expect(p.spec.disruption.consolidateAfter).toBeTruthy();
    }
    const gpu = pools.find((p) => p.metadata.name === "gpu-training")!;
    // max_nodes 20 (min 0): each of the pool's three NodePools may reach it alone, the primary first (by weight).
    const training = pools.filter((p) => p.metadata.name.startsWith("gpu-training"));
    expect(training.map((p) => Number(p.spec.limits["nvidia.com/gpu"]) / 8)).toEqual([20, 20, 20]);
    expect(gpu.spec.limits["nvidia.com/gpu"]).toBe("160");
    // Karpenter orders NodePools by weight only: the primary first, fallbacks in the listed order.
    expect(training.map((p) => p.spec.weight)).toEqual([50, 49, 48]);
    expect(
      gpu.spec.template.spec.requirements.find((r: Any) => r.key === "node.kubernetes.io/instance-type").values,
    ).toEqual(["p4d.24xlarge"]);
    expect(gpu.spec.template.spec.expireAfter).toBe("Never");
    const h100 = pools.find((p) => p.metadata.name === "gpu-training-nvidia-h100")!;
    expect(h100.spec.template.metadata.labels.accelerator).toBe("nvidia-h100");
    expect(
      h100.spec.template.spec.requirements.find((r: Any) => r.key === "node.kubernetes.io/instance-type").values,
    ).toEqual(["p5.48xlarge"]);
    const nodeClass = find(out.deployment_manifests, "EC2NodeClass")!;
    expect(nodeClass.apiVersion).toBe("karpenter.k8s.aws/v1");
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: amiAlias }]);
    expect(amiAlias).toMatch(/^al2023@v\d{8}$/); // pinned, never @latest
  });

  it("scales inference with KEDA on queue depth, DCGM GPU utilization and p99 latency", async () => {
    const out = await plan({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      scale_requirements: { min_replicas: 3, max_replicas: 40, target_gpu_utilization: 0.7 },
    });
    const so = find(out.deployment_manifests, "ScaledObject")!;
    expect(so.spec).toMatchObject({
      minReplicaCount: 3,
      maxReplicaCount: 40,
      scaleTargetRef: { kind: "Deployment", name: "model-server" },
    });
    expect(find(out.deployment_manifests, "Deployment", "model-server")).toBeDefined();
    const triggers = so.spec.triggers;
    expect(triggers.map((t: Any) => t.name)).toEqual(["queue-depth", "gpu-utilization", "latency-p99-ms"]);
    expect(triggers[1].metadata.query).toContain("DCGM_FI_DEV_GPU_UTIL");
    expect(triggers[1].metadata.threshold).toBe("70");
    expect(triggers[2].metadata.threshold).toBe("200");
    const behavior = so.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it("uses a ScaledJob for batch and a Kafka lag scaler for streaming", async () => {
    const batch = await plan({ infrastructure_task: "auto_scaling", workload_type: "batch", cloud_provider: "gcp" });
    const sj = find(batch.deployment_manifests, "ScaledJob")!;
    expect(sj.spec.jobTargetRef.template.spec.restartPolicy).toBe("OnFailure");
    // KEDA measures the Redis list the workers pop: the queue the plan names, no exporter in between.
    expect(sj.spec.triggers[0]).toMatchObject({
      type: "redis",
      metadata: { address: "redis-master.redis.svc:6379", listName: "ml-production-batch", listLength: "100" },
    });
    const consumer = sj.spec.jobTargetRef.template.spec.containers[0];
    expect(consumer.env).toEqual(
      expect.arrayContaining([
        { name: "QUEUE_NAME", value: "ml-production-batch" },
        { name: "REDIS_HOST", value: "redis-master.redis.svc" },
      ]),
    );
    expect(consumer.command.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(consumer.command[2]).toContain('LMOVE "$QUEUE_NAME" "$processing" LEFT LEFT');
    // The model server runs beside it as a native sidecar, with the GPUs.
    const sidecar = sj.spec.jobTargetRef.template.spec.initContainers[0];
    expect(sidecar).toMatchObject({ restartPolicy: "Always", command: ["tritonserver"] });
    expect(sidecar.resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(find(batch.deployment_manifests, "NetworkPolicy", "allow-egress-redis")).toBeDefined();
    expect(batch.deployment_manifests.some((o) => o.kind === "NodePool")).toBe(false);
    expect(String(batch.infrastructure_config.node_autoscaling)).toMatch(/GKE/);
    const streaming = await plan({ infrastructure_task: "auto_scaling", workload_type: "streaming" });
    const so = find(streaming.deployment_manifests, "ScaledObject")!;
    expect(so.spec.triggers[0]).toMatchObject({
      type: "kafka",
      metadata: { lagThreshold: "1000", topic: "inference-requests" },
    });
  });
});

describe("security_hardening", async () => {
  const out = await plan({ infrastructure_task: "security_hardening", cloud_provider: "gcp" });

  it("uses External Secrets v1 with a ClusterSecretStore for the cloud's secret manager", () => {
    const es = find(out.deployment_manifests, "ExternalSecret")!;
    const store = find(out.deployment_manifests, "ClusterSecretStore")!;
    expect(es.apiVersion).toBe("external-secrets.io/v1");
    expect(store.apiVersion).toBe("external-secrets.io/v1");
    expect(es.spec.secretStoreRef).toEqual({ name: store.metadata.name, kind: "ClusterSecretStore" });
    expect(store.spec.provider.gcpsm.projectID).toBe("ml-platform-project");
    // Secret Manager names allow no "/"
    for (const d of es.spec.data) expect(d.remoteRef.key).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("annotates the inference service account for GKE Workload Identity", () => {
    const sa = find(out.deployment_manifests, "ServiceAccount", "model-server-sa")!;
    expect(sa.metadata.annotations["iam.gke.io/gcp-service-account"]).toBe(
      "model-server@ml-platform-project.iam.gserviceaccount.com",
    );
  });

  it("denies by default in every ML namespace and labels them for Pod Security Admission", () => {
    for (const ns of ["ml-training", "ml-inference", "ml-batch", "ml-streaming"]) {
      const namespace = find(out.deployment_manifests, "Namespace", ns)!;
      expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      const deny = out.deployment_manifests.find(
        (o) => o.kind === "NetworkPolicy" && o.metadata.namespace === ns && o.metadata.name === "default-deny-all",
      ) as Any;
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
  });

  it("has no wildcard RBAC and binds cluster roles per namespace only", () => {
    const rbac = out.deployment_manifests.filter((o) => o.kind === "Role" || o.kind === "ClusterRole") as Any[];
    for (const role of rbac)
      for (const rule of role.rules)
        for (const field of ["verbs", "resources", "apiGroups"]) expect(rule[field]).not.toContain("*");
    expect(out.deployment_manifests.some((o) => o.kind === "ClusterRoleBinding")).toBe(false);
    // Engineers and admins create workloads in their namespaces by design: reported, as medium, and nothing else.
    expect(
      out.security_report.findings.filter((f) => f.check.startsWith("rbac.") && f.check !== "rbac.workload-creation"),
    ).toEqual([]);
    expect(
      new Set(out.security_report.findings.filter((f) => f.check === "rbac.workload-creation").map((f) => f.severity)),
    ).toEqual(new Set(["medium"]));
  });
});

describe("disaster_recovery", () => {
  it("writes a Velero Schedule and BackupStorageLocation and the three recovery plans with RTO/RPO", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "azure",
      disaster_recovery: { backup_retention_days: 14 },
    });
    const schedule = find(out.deployment_manifests, "Schedule")!;
    const bsl = find(out.deployment_manifests, "BackupStorageLocation")!;
    expect(schedule.spec.template.storageLocation).toBe(bsl.metadata.name);
    expect(schedule.spec.template.ttl).toBe("336h0m0s");
    expect(bsl.spec.provider).toBe("velero.io/azure");
    const plans = out.infrastructure_config.recovery_plans as Any[];
    expect(plans.map((p) => [p.scenario, p.rto_minutes, p.rpo_minutes])).toEqual([
      ["cluster_failure", 60, 360],
      ["model_corruption", 15, 60],
      ["data_pipeline_failure", 30, 1440],
    ]);
    for (const p of plans) for (const step of p.steps) expect(Array.isArray(step.command)).toBe(true);
  });
});

describe("every plan", () => {
  it("fills runbooks with the plan's own names", async () => {
    const out = await plan({
      infrastructure_task: "cost_optimization",
      cluster_name: "vision-prod",
      namespaces: { inference: "vision-serving" },
      model_server: { name: "detector" },
    });
    const text = out.runbooks.join("\n");
    expect(text).toContain("kubectl top pods -n vision-serving -l app.kubernetes.io/name=detector");
    expect(text).toContain("# Runbook: GPU nodes not scaling (vision-prod)");
    expect(text).toContain("# Debug checklist");
    // the GPU runbook is about the pool this workload runs on
    expect(text).toContain("No new nodes appear in node pool inference (g5.xlarge, 2-100 nodes)");
    expect(text).not.toMatch(/ml-inference|model-server-xxx/);
  });

  it("checks from inside the training pods that MASTER_ADDR resolves", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", workload_type: "training" });
    expect(out.runbooks[3]).toContain(
      "kubectl exec -n ml-training job/distributed-training -c trainer -- getent hosts distributed-training-0.distributed-training-workers.ml-training.svc.cluster.local",
    );
    expect(out.runbooks[3]).toContain("system:serviceaccount:ml-training:distributed-training-sa");
  });

  it("skips the device plugin on GKE, which manages its own", async () => {
    const gke = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "gcp" });
    expect(gke.deployment_manifests.some((o) => o.kind === "DaemonSet")).toBe(false);
    const aks = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "azure" });
    expect(aks.deployment_manifests.some((o) => o.kind === "DaemonSet")).toBe(true);
  });

  it("training: failed ranks rejoin an elastic rendezvous, evictions do not count, multi-node p4d asks for EFA in one zone", async () => {
    const aws = await plan({ infrastructure_task: "auto_scaling", workload_type: "training", training: { nodes: 4 } });
    const job = find(aws.deployment_manifests, "Job")!;
    expect(job.spec.podFailurePolicy.rules).toContainEqual({
      action: "Ignore",
      onPodConditions: [{ type: "DisruptionTarget" }],
    });
    const trainer = job.spec.template.spec.containers[0];
    expect(trainer.args).toContain("--rdzv-backend=c10d");
    expect(trainer.args.some((a: string) => a.startsWith("--node-rank"))).toBe(false);
    expect(trainer.resources.limits["vpc.amazonaws.com/efa"]).toBe("4");
    const pool = aws.deployment_manifests.find(
      (o) => o.kind === "NodePool" && o.metadata.name === "gpu-training",
    ) as Any;
    expect(pool.spec.template.spec.requirements).toContainEqual({
      key: "topology.kubernetes.io/zone",
      operator: "In",
      values: ["us-west-2a"],
    });
    const single = await plan({
      infrastructure_task: "auto_scaling",
      workload_type: "training",
      training: { nodes: 1 },
    });
    expect(
      find(single.deployment_manifests, "Job")!.spec.template.spec.containers[0].resources.limits[
        "vpc.amazonaws.com/efa"
      ],
    ).toBeUndefined();
    const gcp = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "gcp", workload_type: "training" });
    expect(
      find(gcp.deployment_manifests, "Job")!.spec.template.spec.containers[0].resources.limits["vpc.amazonaws.com/efa"],
    ).toBeUndefined();
  });

  it("labels the on-premises bring-your-own-cluster option clearly", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "on_premise" });
    const cluster = out.infrastructure_config.cluster as Any;
    expect(cluster.target).toBe("kubeadm");
    expect(cluster.bring_your_own_cluster.label).toMatch(/^BRING YOUR OWN CLUSTER/);
    expect(cluster.files["kubeadm/cluster-configuration.yaml"]).toContain("kubernetesVersion: v1.35.0");
  });

  it.each([
    ["1.29", "kubeadm.k8s.io/v1beta3", "audit-log-path: /var/log/kubernetes/audit.log"],
    ["1.30", "kubeadm.k8s.io/v1beta3", "audit-log-path: /var/log/kubernetes/audit.log"],
    ["1.31", "kubeadm.k8s.io/v1beta4", "- name: audit-log-path"],
    ["1.35", "kubeadm.k8s.io/v1beta4", "- name: audit-log-path"],
  ])("writes the kubeadm config API that Kubernetes %s reads (%s)", async (version, api, extraArgs) => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "on_premise",
      kubernetes_version: version,
    });
    const yaml = (out.infrastructure_config.cluster as Any).files["kubeadm/cluster-configuration.yaml"] as string;
    expect(yaml).toContain(`apiVersion: ${api}`);
    expect(yaml).toContain(extraArgs);
  });
});

describe("the on-premises API server's audit policy", () => {
  it.each(["1.30", "1.35"])(
    "is generated, named by audit-policy-file and mounted into the API server (%s)",
    async (v) => {
      const out = await plan({
        infrastructure_task: "cluster_setup",
        cloud_provider: "on_premise",
        kubernetes_version: v,
      });
      const files = (out.infrastructure_config.cluster as Any).files as Record<string, string>;
      const config = parseYaml(files["kubeadm/cluster-configuration.yaml"]!);
      const args: Record<string, string> = Array.isArray(config.apiServer.extraArgs)
        ? Object.fromEntries(config.apiServer.extraArgs.map((a: Any) => [a.name, a.value]))
        : config.apiServer.extraArgs;
      const policy = parseYaml(files[auditPolicyFile]!);
      expect(policy).toMatchObject({ apiVersion: "audit.k8s.io/v1", kind: "Policy" });
      // Secrets are audited without their data, whatever later rules say (the first matching rule wins).
      const secretsRule = policy.rules.findIndex((r: Any) => JSON.stringify(r.resources ?? []).includes('"secrets"'));
      expect(policy.rules[secretsRule].level).toBe("Metadata");
      expect(policy.rules.slice(0, secretsRule).every((r: Any) => r.level === "None" || r.resources)).toBe(true);
      // The file the API server reads is on the machine and mounted at the same path; the log outlives the pod.
      expect(args["audit-policy-file"]).toBe(auditPolicyPath);
      const mounts = config.apiServer.extraVolumes as { hostPath: string; mountPath: string }[];
      expect(mounts).toContainEqual(expect.objectContaining({ hostPath: auditPolicyPath, mountPath: auditPolicyPath }));
      const logDirectory = args["audit-log-path"]!.replace(/\/[^/]+$/, "");
      expect(mounts).toContainEqual(expect.objectContaining({ hostPath: logDirectory, mountPath: logDirectory }));
    },
  );

  it("is put in place before kubeadm init rebuilds the control plane", async () => {
    const out = await plan({ infrastructure_task: "disaster_recovery", cloud_provider: "on_premise" });
    const config = out.infrastructure_config as Any;
    const steps = (config.recovery_plans as Any[]).find((p) => p.scenario === "cluster_failure")!.steps as Any[];
    const copy = steps.findIndex(
      (s) => s.command.join(" ") === `install -D -m 0600 ${auditPolicyFile} ${auditPolicyPath}`,
    );
    const init = steps.findIndex((s) => s.command.slice(0, 2).join(" ") === "kubeadm init");
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(copy).toBeLessThan(init);
    expect(config.recovery_files[auditPolicyFile]).toContain("kind: Policy");
  });
});

describe("kubeadm joins with a JoinConfiguration (labels and taints are not kubeadm join flags)", () => {
  const pools = [
    {
      name: "gpu",
      instance_type: "gpu-1x-a10-16c",
      min_nodes: 1,
      max_nodes: 4,
      labels: { "workload-type": "inference", accelerator: "a100" },
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" as const }],
    },
  ];
  it.each([
    ["1.30", "kubeadm.k8s.io/v1beta3", { "node-labels": "workload-type=inference,accelerator=a100" }],
    ["1.35", "kubeadm.k8s.io/v1beta4", [{ name: "node-labels", value: "workload-type=inference,accelerator=a100" }]],
  ])(
    "Kubernetes %s: %s with taints and the kubelet's node-labels in nodeRegistration",
    async (version, api, kubeletExtraArgs) => {
      const out = await plan({
        infrastructure_task: "cluster_setup",
        cloud_provider: "on_premise",
        kubernetes_version: version,
        node_pools: pools,
      });
      const cluster = out.infrastructure_config.cluster as Any;
      expect(cluster.node_pools[0]).toMatchObject({
        join_configuration: "kubeadm/join-gpu.yaml",
        join_command: ["kubeadm", "join", "--config", "kubeadm/join-gpu.yaml"],
      });
      expect(JSON.stringify(cluster)).not.toContain("--register-with-taints");
      const join = parseYaml(cluster.files["kubeadm/join-gpu.yaml"]);
      expect(join).toMatchObject({
        apiVersion: api,
        kind: "JoinConfiguration",
        nodeRegistration: {
          taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          kubeletExtraArgs,
        },
      });
    },
  );
});

describe("a vLLM model server runs vLLM, not Triton (issue 14)", async () => {
  const out = await plan({
    infrastructure_task: "auto_scaling",
    workload_type: "inference",
    model_server: { image: "vllm/vllm-openai:v0.11.0" },
  });
  const server = find(out.deployment_manifests, "Deployment")!.spec.template.spec.containers[0];

  it("serves the OpenAI API with vllm serve on 8000, probed on /health", () => {
    expect(server.command).toEqual(["vllm", "serve"]);
    expect(server.args).toEqual(expect.arrayContaining(["/models", "--port=8000", "--served-model-name=model"]));
    expect(server.ports).toEqual([{ name: "http", containerPort: 8000, protocol: "TCP" }]);
    for (const probe of [server.readinessProbe, server.livenessProbe, server.startupProbe])
      expect(probe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(JSON.stringify(server)).not.toMatch(/tritonserver|\/v2\/health/);
  });

  it("has a writable HOME under its read-only root filesystem", () => {
    expect(server.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(server.env).toEqual(
      expect.arrayContaining([
        { name: "HOME", value: "/home/app" },
        { name: "HF_HOME", value: "/home/app/.cache/huggingface" },
      ]),
    );
    expect(server.volumeMounts).toEqual(expect.arrayContaining([{ name: "home", mountPath: "/home/app" }]));
  });

  it("is scraped on its API port and scaled on vLLM's series, through the Operator's Prometheus", () => {
    expect(find(out.deployment_manifests, "PodMonitor")!.spec.podMetricsEndpoints[0].port).toBe("http");
    const so = find(out.deployment_manifests, "ScaledObject")!;
    expect(so.spec.triggers[0].metadata.query).toContain("vllm:num_requests_waiting");
    for (const t of so.spec.triggers)
      expect(t.metadata.serverAddress).toBe("http://prometheus-operated.monitoring.svc:9090");
    expect(out.viability_report.findings.filter((f) => f.severity === "high")).toEqual([]);
  });
});

describe("workload identities the ServiceAccounts name are created", () => {
  it("AWS: an IRSA role per annotated ServiceAccount, trusting exactly that account", async () => {
    const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "aws", workload_type: "inference" });
    const tf = (out.infrastructure_config.workload_identity as Any).files["identity.tf"] as string;
    expect(tf).toContain('name            = "ml-production-model-server"');
    expect(tf).toContain('namespace_service_accounts = ["ml-inference:model-server-sa"]');
    expect(tf).toContain("data.aws_iam_openid_connect_provider.cluster.arn");
  });

  it("GKE cluster_setup: the service account and its workloadIdentityUser binding, in the cluster's Terraform", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "gcp", workload_type: "streaming" });
    const tf = (out.infrastructure_config.cluster as Any).files["identity.tf"] as string;
    expect(tf).toContain('account_id   = "stream-consumer"');
    expect(tf).toContain(
      'member             = "serviceAccount:ml-platform-project.svc.id.goog[ml-streaming/stream-consumer-sa]"',
    );
    expect(tf).not.toContain('provider "google"'); // the cluster's main.tf has it
  });

  it("Azure: a federated credential per ServiceAccount on the managed identity", async () => {
    const out = await plan({ infrastructure_task: "security_hardening", cloud_provider: "azure" });
    const tf = (out.infrastructure_config.workload_identity as Any).files["identity.tf"] as string;
    expect(tf).toMatch(
      /user_assigned_identity_id = azurerm_user_assigned_identity\.workloads\.id\n.*\n.*\n\s+subject\s+= "system:serviceaccount:ml-inference:model-server-sa"/,
    );
    expect(tf).toContain('resource "azurerm_user_assigned_identity" "workloads"');
  });
});

describe("Velero's node agent reaches the GPU nodes and has credentials", () => {
  it.each(["aws", "gcp", "azure"] as const)(
    "%s: tolerates every taint and uses the backup identity, no static key",
    async (cloud) => {
      const out = await plan({ infrastructure_task: "disaster_recovery", cloud_provider: cloud });
      const velero = out.infrastructure_config.velero as Any;
      const values = parseYaml(velero.values_yaml);
      expect(values.deployNodeAgent).toBe(true);
      expect(values.nodeAgent.tolerations).toEqual([{ operator: "Exists" }]);
      expect(values.credentials).toEqual({ useSecret: false });
      expect(Object.keys(values.serviceAccount.server.annotations).length).toBeGreaterThan(0);
      expect(values.configuration.defaultVolumesToFsBackup).toBe(true);
      const tf = (out.infrastructure_config.workload_identity as Any).files["identity.tf"] as string;
      expect(tf).toMatch(
        cloud === "aws"
          ? /velero:velero/
          : cloud === "gcp"
            ? /svc\.id\.goog\[velero\/velero\]/
            : /system:serviceaccount:velero:velero/,
      );
    },
  );
});

describe("External Secrets' ServiceAccount carries an identity that exists", () => {
  it.each(["aws", "gcp", "azure"] as const)(
    "%s: the chart's values annotate it, the Terraform creates and binds it",
    async (cloud) => {
      const out = await plan({ infrastructure_task: "security_hardening", cloud_provider: cloud });
      const values = parseYaml((out.infrastructure_config.external_secrets as Any).values_yaml);
      expect(values.serviceAccount.name).toBe("external-secrets");
      const annotation = Object.values(values.serviceAccount.annotations)[0] as string;
      expect(annotation).toBeTruthy();
      const tf = (out.infrastructure_config.workload_identity as Any).files["identity.tf"] as string;
      const binding = {
        aws: '"external-secrets:external-secrets"',
        gcp: "svc.id.goog[external-secrets/external-secrets]",
        azure: "system:serviceaccount:external-secrets:external-secrets",
      }[cloud];
      expect(tf).toContain(binding);
      expect(tf).toContain(
        {
          aws: "role/ml-production-external-secrets".split("/")[1],
          gcp: "roles/secretmanager.secretAccessor",
          azure: "Key Vault Secrets User",
        }[cloud],
      );
      expect(annotation).toContain(
        { aws: "ml-production-external-secrets", gcp: "external-secrets@", azure: "-" }[cloud],
      );
    },
  );
});

describe("on premises the object store is reachable and trusted", () => {
  const objectsOf = async (dr: Record<string, unknown>) =>
    (
      await plan({
        infrastructure_task: "disaster_recovery",
        cloud_provider: "on_premise",
        workload_type: "inference",
        disaster_recovery: dr,
      })
    ).deployment_manifests as Any[];

  it("lets the workloads reach an in-cluster MinIO by namespace, and Velero trust a private CA", async () => {
    const objects = await objectsOf({
      object_store_url: "https://minio.minio.svc:9000",
      object_store_ca_cert: "LS0tLS1CRUdJTg==",
    });
    const egress = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-egress-object-store")!;
    expect(egress.metadata.namespace).toBe("ml-inference");
    expect(egress.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "minio" } } }],
        ports: [{ protocol: "TCP", port: 9000 }],
      },
    ]);
    const location = objects.find((o) => o.kind === "BackupStorageLocation")!;
    expect(location.spec.objectStorage.caCert).toBe("LS0tLS1CRUdJTg==");
    expect(location.spec.config.s3Url).toBe("https://minio.minio.svc:9000");
  });

  it("points Velero and the egress rule at an external store's URL", async () => {
    const objects = await objectsOf({ object_store_url: "https://s3.storage.example.com:9443" });
    const egress = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-egress-object-store")!;
    expect(egress.spec.egress[0].ports).toEqual([{ protocol: "TCP", port: 9443 }]);
    expect(egress.spec.egress[0].to[0].ipBlock.cidr).toBe("0.0.0.0/0");
    const location = objects.find((o) => o.kind === "BackupStorageLocation")!;
    expect(location.spec.config.s3Url).toBe("https://s3.storage.example.com:9443");
    expect(location.spec.objectStorage.caCert).toBeUndefined();
  });

  it("refuses a CA certificate that is not base64, naming the field", () => {
    const result = planInputSchema.safeParse({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "on_premise",
      disaster_recovery: { object_store_ca_cert: "-----BEGIN CERTIFICATE-----" },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(["disaster_recovery", "object_store_ca_cert"]);
  });
});

describe("the NVIDIA device plugin", () => {
  it("runs the v0.17.0 image by its digest, so a re-pushed tag cannot change it", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training" });
    const daemonSet = out.deployment_manifests.find(
      (o) => o.kind === "DaemonSet" && o.metadata.name === "nvidia-device-plugin",
    ) as Any;
    expect(daemonSet.spec.template.spec.containers[0].image).toBe(
      "nvcr.io/nvidia/k8s-device-plugin:v0.17.0@sha256:7089559ce6153018806857f5049085bae15b3bf6f1c8bd19d8b12f707d087dea",
    );
    const unpinned = out.security_report.findings.filter(
      (f) => f.check === "images.tag-without-digest" && f.object.name === "nvidia-device-plugin",
    );
    expect(unpinned).toEqual([]);
    expect(out.requires.find((r) => r.name === "NVIDIA device plugin")?.version).toBe("v0.17.0");
  });
});
