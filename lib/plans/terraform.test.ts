import { describe, expect, it } from "vitest";
import moduleInputs from "./__fixtures__/terraform-aws-module-inputs.json";
import azurermArguments from "./__fixtures__/terraform-azurerm-5.2-arguments.json";
import { generatePlan } from "./generate-plan";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";
import { aksPoolName, terraformAks } from "./terraform-aks";
import { terraformEks } from "./terraform-eks";
import { terraformGke } from "./terraform-gke";

/** The body of `module "<name>" { ... }` in a file terraform fmt wrote (the closing brace alone on its line). */
function moduleBody(file: string, name: string): string {
  const start = file.indexOf(`module "${name}" {\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  return file.slice(start, file.indexOf("\n}\n", start));
}
/** Argument names at one indentation level: `  name = ...` at depth 1 are the module's inputs. */
const argumentsAt = (body: string, depth: number) =>
  [...body.matchAll(new RegExp(`^${"  ".repeat(depth)}([a-z_][a-z0-9_-]*)\\s+=`, "gm"))].map((m) => m[1]!);

const metaArguments = ["count", "depends_on", "for_each", "lifecycle", "provider"];

/**
 * Argument and nested block names of each top-level `resource`, `data` and `provider` block of a file terraform fmt
 * wrote, keyed "resource azurerm_x" / "data azurerm_x" / "provider azurerm". Keys inside a map or list value
 * (node_labels = { ... }) are values, not arguments, and are skipped.
 */
function argumentNames(file: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  let names: Set<string> | undefined;
  const frames: ("block" | number)[] = [];
  for (const line of file.split("\n")) {
    const text = line.trim();
    if (!names) {
      const open =
        /^(resource|data) "([a-z0-9_]+)" "[^"]+" \{$/.exec(text) ?? /^(provider) "([a-z0-9_]+)" \{$/.exec(text);
      if (open && line === text) {
        const key = `${open[1]} ${open[2]}`;
        names = found.get(key) ?? new Set();
        found.set(key, names);
        frames.push("block");
      }
      continue;
    }
    const top = frames[frames.length - 1]!;
    const depth = (text.match(/[{[(]/g) ?? []).length - (text.match(/[}\])]/g) ?? []).length;
    if (typeof top === "number") {
      if (top + depth <= 0) frames.pop();
      else frames[frames.length - 1] = top + depth;
      continue;
    }
    const block = /^([a-z_][a-z0-9_]*) \{$/.exec(text);
    const attribute = /^([a-z_][a-z0-9_]*)\s*=/.exec(text);
    if (block) {
      names.add(block[1]!);
      frames.push("block");
    } else if (attribute) {
      names.add(attribute[1]!);
      if (depth > 0) frames.push(depth);
    } else if (text === "}") {
      frames.pop();
      if (frames.length === 0) names = undefined;
    }
  }
  return found;
}

const ctxOf = (draft: Omit<PlanInputDraft, "infrastructure_task">) =>
  buildPlanContext(planInputSchema.parse({ infrastructure_task: "cluster_setup", ...draft }));

describe("Terraform", () => {
  it("EKS: GPU pools use the NVIDIA AMI, spot pools SPOT, and the cluster version from the input", () => {
    const main = terraformEks(ctxOf({ kubernetes_version: "1.34" }))["main.tf"];
    const vars = terraformEks(ctxOf({ kubernetes_version: "1.34" }))["variables.tf"];
    expect(vars).toContain('default = "1.34"');
    const gpuFloor = terraformEks(
      ctxOf({
        node_pools: [
          {
            name: "gpu-training",
            instance_type: "p4d.24xlarge",
            min_nodes: 1,
            max_nodes: 4,
            capacity_type: "spot",
            disk_size_gib: 500,
            labels: { "workload-type": "training" },
          },
        ],
      }),
    )["main.tf"];
    expect(gpuFloor).toMatch(
      /gpu_training = \{\n\s+name\s+= "gpu-training"\n\s+instance_types = \["p4d.24xlarge"\]\n\s+capacity_type\s+= "SPOT"\n\s+ami_type\s+= "AL2023_x86_64_NVIDIA"/,
    );
    // The floor is fixed (Karpenter adds the rest), and the disk goes through the launch template's block devices.
    expect(gpuFloor).toMatch(/min_size\s+= 1\n\s+max_size\s+= 1\n\s+desired_size\s+= 1/);
    expect(gpuFloor).toMatch(/volume_size\s+= 500/);
    // A p4d training pool trains over EFA in a cluster placement group.
    expect(gpuFloor).toContain('resource "aws_placement_group" "training"');
    expect(gpuFloor).toMatch(/enable_efa_support\s+= true/);
    expect(gpuFloor).toContain("group_name = aws_placement_group.training.name");
    // Karpenter launches the pool's other nodes into the group: its controller may discover and launch into it.
    expect(gpuFloor).toMatch(
      /resource "aws_iam_role_policy" "karpenter_placement_group" \{\n\s+name = "karpenter-placement-group"\n\s+role = module\.karpenter\.iam_role_name/,
    );
    expect(gpuFloor).toContain('Action   = ["ec2:DescribePlacementGroups"]');
    expect(gpuFloor).toContain("Resource = aws_placement_group.training.arn");
    // EFA drops traffic unless the node security group admits all protocols from itself, both ways.
    expect(gpuFloor).toMatch(/efa_ingress_self = \{[^}]*protocol = "-1"[^}]*type = "ingress", self = true \}/);
    expect(gpuFloor).toMatch(/efa_egress_self\s+= \{[^}]*protocol = "-1"[^}]*type = "egress", self = true \}/);
    // EFA devices exist only once the EFA device plugin advertises them; it tolerates the GPU pools' taints.
    expect(gpuFloor).toContain('resource "helm_release" "efa_device_plugin"');
    expect(gpuFloor).toContain('chart      = "aws-efa-k8s-device-plugin"');
    expect(gpuFloor).toContain('tolerations = [{ operator = "Exists" }]');
    expect(gpuFloor).toContain('helm       = { source = "hashicorp/helm"');
    const g5Only = terraformEks(
      ctxOf({ node_pools: [{ name: "g", instance_type: "g5.xlarge", min_nodes: 1, max_nodes: 2 }] }),
    )["main.tf"];
    expect(g5Only).not.toContain("helm_release");
    expect(g5Only).not.toContain("efa_ingress_self");
    expect(main).not.toContain("disk_size");
    expect(main).not.toContain("k8s.io/cluster-autoscaler");
    for (const piece of [
      'resource "aws_efs_file_system" "shared"',
      'resource "aws_efs_mount_target" "shared"',
      "aws-efs-csi-driver",
      'name = "efs-sc"',
      'source  = "terraform-aws-modules/eks/aws//modules/karpenter"',
      'node_iam_role_name            = "KarpenterNodeRole-${var.cluster_name}"',
      "enable_spot_termination = true",
    ]) {
      expect(main).toContain(piece);
    }
    expect(main).toMatch(/enable_irsa\s+= true/);
  });

  it("EKS: no node lets pods reach IMDS (hop limit 1), and Karpenter gets its region without it", async () => {
    const main = terraformEks(ctxOf({}))["main.tf"]!;
    // The module's node groups default to hop limit 1; the system group states its own, which must be 1 too.
    const limits = [...main.matchAll(/http_put_response_hop_limit\s*=\s*(\d+)/g)].map((m) => m[1]);
    expect(limits.length).toBeGreaterThan(0);
    expect(new Set(limits)).toEqual(new Set(["1"]));
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "aws" }),
    );
    for (const nodeClass of out.deployment_manifests.filter((o) => o.kind === "EC2NodeClass"))
      expect(JSON.stringify(nodeClass.spec)).toContain('"httpPutResponseHopLimit":1');
    const karpenter = out.requires.find((r) => r.name === "Karpenter");
    expect(karpenter?.settings.find((s) => s.key === "controller.env")?.value).toBe(
      "[{ name: AWS_REGION, value: us-west-2 }]",
    );
  });

  it("EKS: sets only inputs the pinned module majors declare (EKS v21, its karpenter submodule, VPC v6)", () => {
    const efaTraining = {
      node_pools: [
        {
          name: "gpu-training",
          instance_type: "p4d.24xlarge",
          min_nodes: 1,
          max_nodes: 4,
          capacity_type: "spot" as const,
        },
      ],
    };
    for (const draft of [{}, efaTraining]) {
      const main = terraformEks(ctxOf(draft))["main.tf"]!;
      const inputs = (name: string) =>
        argumentsAt(moduleBody(main, name), 1).filter((a) => a !== "source" && a !== "version");
      expect(inputs("eks").filter((a) => !moduleInputs.eks.includes(a))).toEqual([]);
      expect(inputs("karpenter").filter((a) => !moduleInputs.karpenter.includes(a))).toEqual([]);
      expect(inputs("vpc").filter((a) => !moduleInputs.vpc.includes(a))).toEqual([]);
      // Each node group's keys: depth 3 inside eks_managed_node_groups = { <group> = { ... } }.
      const groups = moduleBody(main, "eks").split("eks_managed_node_groups = {")[1]!;
      const keys = new Set(argumentsAt(groups, 3));
      expect(keys).toContain("use_latest_ami_release_version");
      expect([...keys].filter((k) => !moduleInputs.eks_managed_node_group.includes(k))).toEqual([]);
      // v21 renamed the cluster_* inputs and dropped Karpenter's IRSA inputs.
      expect(inputs("eks")).toEqual(expect.arrayContaining(["name", "kubernetes_version", "addons"]));
      expect(inputs("karpenter")).not.toContain("enable_irsa");
      // Its controller role comes through Pod Identity: the agent add-on and the chart's service account.
      expect(moduleBody(main, "eks")).toMatch(/\n\s+eks-pod-identity-agent = \{ most_recent = true \}/);
      expect(moduleBody(main, "karpenter")).toMatch(/namespace\s+= "karpenter"\n\s+service_account\s+= "karpenter"/);
    }
  });

  it("EKS and AWS identities: every IRSA role uses the IAM module v6 and only inputs it declares", async () => {
    const files: string[] = [terraformEks(ctxOf({}))["main.tf"]!];
    const collect = (value: unknown, key: string) => {
      if (typeof value === "string" && key.endsWith(".tf")) files.push(value);
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
    };
    for (const infrastructure_task of ["cluster_setup", "disaster_recovery", "security_hardening"] as const) {
      const out = await generatePlan(
        planInputSchema.parse({ infrastructure_task, cloud_provider: "aws", workload_type: "inference" }),
      );
      collect(out.infrastructure_config, "");
    }
    const iamModules = files.flatMap((file) =>
      [
        ...file.matchAll(
          /^module "([a-z0-9_]+)" \{\n\s+source\s+= "terraform-aws-modules\/iam\/aws\/\/([^"]+)"\n\s+version = "([^"]+)"/gm,
        ),
      ].map((m) => ({ file, name: m[1]!, path: m[2]!, version: m[3]! })),
    );
    // The cluster's two CSI roles and the workloads' and Velero's roles.
    expect(iamModules.map((m) => m.name)).toEqual(expect.arrayContaining(["ebs_csi_irsa", "efs_csi_irsa"]));
    expect(iamModules.some((m) => m.name.startsWith("irsa_"))).toBe(true);
    for (const m of iamModules) {
      expect(m.path, m.name).toBe("modules/iam-role-for-service-accounts");
      expect(m.version, m.name).toMatch(/^~> 6\./);
      const inputs = argumentsAt(moduleBody(m.file, m.name), 1).filter((a) => a !== "source" && a !== "version");
      expect(
        inputs.filter((a) => !moduleInputs.iam_role_for_service_accounts.includes(a)),
        m.name,
      ).toEqual([]);
      // Exact role names: the ServiceAccounts' role-arn annotations and the add-ons name them.
      expect(moduleBody(m.file, m.name), m.name).toMatch(/\n\s+use_name_prefix\s+= false\n/);
    }
    // v6's outputs: arn, not iam_role_arn.
    expect(files[0]).toContain("service_account_role_arn = module.ebs_csi_irsa.arn");
    expect(files.join("\n")).not.toMatch(/irsa[a-z_]*\.iam_role_arn/);
  });

  it("AKS and Azure identities: set only arguments azurerm 5.2 declares, and what 5.0 made required", async () => {
    // Every .tf file anywhere in the plans: the cluster root, standalone identities, backup storage.
    const files: string[] = [
      ...Object.values(terraformAks(ctxOf({ cloud_provider: "azure" }))),
      ...Object.values(terraformAks(ctxOf({ cloud_provider: "azure", api_authorized_cidrs: ["203.0.113.7/32"] }))),
    ];
    const collect = (value: unknown, key: string) => {
      if (typeof value === "string" && key.endsWith(".tf")) files.push(value);
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
    };
    for (const infrastructure_task of ["cluster_setup", "disaster_recovery", "security_hardening"] as const) {
      const out = await generatePlan(
        planInputSchema.parse({ infrastructure_task, cloud_provider: "azure", workload_type: "inference" }),
      );
      collect(out.infrastructure_config, "");
    }
    const schema = new Map(
      Object.entries(azurermArguments).flatMap(([k, v]) => (Array.isArray(v) ? [[k, v] as const] : [])),
    );
    const unknown: string[] = [];
    const blocks = new Set<string>();
    for (const text of files) {
      for (const [block, names] of argumentNames(text)) {
        if (!block.includes("azurerm")) continue;
        blocks.add(block);
        const known = schema.get(block);
        expect(known, `${block} has no schema in the fixture`).toBeDefined();
        for (const name of names)
          if (!known!.includes(name) && !metaArguments.includes(name)) unknown.push(`${block}.${name}`);
      }
    }
    // The provider, cluster, pools and network, identities and credentials, Velero's storage: every type is read.
    expect([...blocks].sort()).toEqual([...schema.keys()].sort());
    expect(unknown).toEqual([]);
    const main = terraformAks(ctxOf({ cloud_provider: "azure" }))["main.tf"]!;
    expect(main).toMatch(/node_provisioning_profile \{\n\s+mode = "Manual"\n\s+\}/);
    expect(main).toMatch(/provider "azurerm" \{\n\s+resource_provider_registrations = "legacy"/);
  });

  it("AKS: the API is reachable: authorized ranges on a public endpoint, or command invoke into a private one", async () => {
    const runbooks = async (draft: Record<string, unknown>) =>
      (
        await generatePlan(
          planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "azure", ...draft }),
        )
      ).runbooks.join("\n");
    const kubectlLines = (text: string) =>
      text.split("\n").filter((l) => /^kubectl |`kubectl /.test(l) || /^- \[ \] `kubectl/.test(l));

    // Private (no ranges): run command stays on and every runbook kubectl goes through az aks command invoke.
    const privateMain = terraformAks(ctxOf({ cloud_provider: "azure" }))["main.tf"]!;
    expect(privateMain).toMatch(/\n\s+private_cluster_enabled = true\n/);
    expect(privateMain).toMatch(/\n\s+run_command_enabled\s+= true\n/);
    expect(privateMain).not.toContain("api_server_access_profile");
    const privateBooks = await runbooks({});
    expect(kubectlLines(privateBooks)).toEqual([]);
    expect(privateBooks).toContain(
      "az aks command invoke --resource-group ml-production-rg --name ml-production --command 'kubectl get nodes -o wide'",
    );
    expect(privateBooks).toMatch(/## API access\n- \[ \] The API server is private[^\n]*az aks command invoke/);

    // Authorized ranges: a public endpoint that answers only them, validated again at apply; kubectl directly.
    const cidrs = ["203.0.113.7/32", "198.51.100.0/24"];
    const files = terraformAks(ctxOf({ cloud_provider: "azure", api_authorized_cidrs: cidrs }));
    expect(files["main.tf"]).toMatch(/\n\s+private_cluster_enabled = false\n/);
    expect(files["main.tf"]).toMatch(
      /api_server_access_profile \{\n\s+authorized_ip_ranges = concat\(var\.api_authorized_cidrs, \["\$\{azurerm_public_ip\.nat\.ip_address\}\/32"\]\)\n\s+\}/,
    );
    expect(files["variables.tf"]).toMatch(
      /variable "api_authorized_cidrs" \{[^]*default\s+= \["203\.0\.113\.7\/32", "198\.51\.100\.0\/24"\][^]*validation/,
    );
    const publicBooks = await runbooks({ api_authorized_cidrs: cidrs });
    expect(publicBooks).not.toContain("az aks command invoke");
    expect(publicBooks).toContain("- [ ] `kubectl get nodes -o wide`");
    expect(publicBooks).toContain("The API server answers only 203.0.113.7/32, 198.51.100.0/24");
  });

  it("EKS: a private endpoint with no authorized ranges is a viability finding; the ranges keep it reachable", async () => {
    const plan = (draft: Record<string, unknown>) =>
      generatePlan(planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "aws", ...draft }));
    const closed = await plan({});
    const finding = closed.viability_report.findings.find((f) => f.check === "viability.api-unreachable");
    expect(finding).toMatchObject({ severity: "medium", path: "api_authorized_cidrs" });
    expect(finding!.fix).toContain("api_authorized_cidrs");
    const open = await plan({ api_authorized_cidrs: ["203.0.113.7/32"] });
    expect(open.viability_report.findings.map((f) => f.check)).not.toContain("viability.api-unreachable");
    // GKE's DNS endpoint and a private AKS cluster's command invoke are access paths of their own.
    for (const cloud_provider of ["gcp", "azure"]) {
      const other = await plan({ cloud_provider });
      expect(other.viability_report.findings.map((f) => f.check)).not.toContain("viability.api-unreachable");
    }
  });

  it("EKS: the apply that installs in-cluster resources can reach a private endpoint from outside the VPC", () => {
    const files = terraformEks(ctxOf({ cloud_provider: "aws" }));
    const main = files["main.tf"] ?? "";
    const vars = files["variables.tf"] ?? "";
    // The providers that talk to the API server sit in the same root as the cluster...
    expect(main).toMatch(/provider "kubernetes" \{\n\s+host\s+= module\.eks\.cluster_endpoint/);
    // ...so a hard private-only endpoint (the reviewer's finding) would stall the first apply outside the VPC.
    expect(main).not.toMatch(/endpoint_public_access\s+= false/);
    expect(main).toMatch(/\n\s+endpoint_public_access\s+= length\(var\.api_authorized_cidrs\) > 0/);
    expect(main).toMatch(/\n\s+endpoint_public_access_cidrs\s+= var\.api_authorized_cidrs/);
    expect(main).toMatch(/\n\s+endpoint_private_access\s+= true/);
    // Private by default; short prefixes (and so the whole internet) are never valid.
    expect(vars).toMatch(
      /variable "api_authorized_cidrs" \{[^]*default\s+= \[\][^]*tonumber\(split\("\/", c\)\[1\]\) >= 8/,
    );
    // The plan's authorized ranges are the variable's default: the endpoint stays reachable from them after bootstrap.
    const open = terraformEks(ctxOf({ api_authorized_cidrs: ["203.0.113.7/32"] }))["variables.tf"]!;
    expect(open).toMatch(/variable "api_authorized_cidrs" \{[^]*default\s+= \["203\.0\.113\.7\/32"\]/);
  });

  it("EKS: every IAM role has a fixed name within 64 characters, even for a 40-character cluster name", () => {
    // A name_prefix over 38 characters fails terraform apply ("expected length of name_prefix to be in the range
    // (1 - 38)"); the module derives "<cluster>-cluster-" and "<group>-eks-node-group-" unless told not to.
    const clusterName = "a".repeat(40);
    const longPool = "b".repeat(40);
    const main = terraformEks(
      ctxOf({
        cluster_name: clusterName,
        node_pools: [
          { name: longPool, instance_type: "m6i.8xlarge", min_nodes: 1, max_nodes: 2 },
          { name: "gpu-training", instance_type: "p4d.24xlarge", min_nodes: 1, max_nodes: 4 },
        ],
      }),
    )["main.tf"]!;
    const eks = moduleBody(main, "eks");
    const groups = eks.split("eks_managed_node_groups = {")[1]!;
    const groupCount = argumentsAt(groups, 2).length;
    expect(groupCount).toBe(3);
    // The cluster's role, then one per node group (system and both pools).
    expect([...eks.matchAll(/iam_role_use_name_prefix\s+= false/g)]).toHaveLength(1 + groupCount);
    const names = [...eks.matchAll(/iam_role_name\s+= "\$\{var\.cluster_name\}([^"]*)"/g)].map(
      (m) => clusterName + m[1]!,
    );
    expect(names).toHaveLength(1 + groupCount);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
    expect(new Set(names).size).toBe(names.length);
  });

  it("EKS: a key-only taint carries no value", () => {
    const main = terraformEks(
      ctxOf({
        node_pools: [
          {
            name: "g",
            instance_type: "g5.xlarge",
            min_nodes: 1,
            max_nodes: 2,
            taints: [{ key: "dedicated", effect: "NoSchedule" }],
          },
        ],
      }),
    )["main.tf"];
    expect(main).toMatch(/taint0 = \{\n\s+key\s+= "dedicated"\n\s+effect = "NO_SCHEDULE"\n\s+\}/);
  });

  it("GKE: a private IP endpoint comes with a DNS endpoint that kubectl can reach, and recovery uses it", async () => {
    const main = terraformGke(ctxOf({ cloud_provider: "gcp" }))["main.tf"]!;
    expect(main).toMatch(/enable_private_endpoint = true/);
    // Without an authorized network or the DNS endpoint, nothing outside the VPC reaches the API.
    expect(main).not.toMatch(/master_authorized_networks_config/);
    expect(main).toMatch(
      /control_plane_endpoints_config \{\n\s+dns_endpoint_config \{\n\s+allow_external_traffic = true\n\s+\}\n\s+\}/,
    );
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider: "gcp" }),
    );
    const steps = (out.infrastructure_config.recovery_plans as { steps: { command: string[] }[] }[]).flatMap(
      (p) => p.steps,
    );
    const credentials = steps.filter(
      (s) => s.command.slice(0, 4).join(" ") === "gcloud container clusters get-credentials",
    );
    expect(credentials.length).toBeGreaterThan(0);
    for (const c of credentials) expect(c.command).toContain("--dns-endpoint");
  });

  it("GKE: declares the A100 accelerators of a2-highgpu-8g and Workload Identity", () => {
    const main = terraformGke(ctxOf({ cloud_provider: "gcp" }))["main.tf"];
    expect(main).toMatch(/type\s+= "nvidia-tesla-a100"\n\s+count = 8/);
    expect(main).toContain('workload_pool = "${var.project_id}.svc.id.goog"');
    expect(main).toMatch(/spot\s+= true/); // gpu-training defaults to spot
    expect(main).toMatch(/network_policy_config \{\n\s+disabled = false/);
  });

  it("AKS: pool names fit the 12-character lowercase rule and stay unique", () => {
    const pools = [
      { name: "gpu-training-a100-large" },
      { name: "gpu-training-a100-small" },
      { name: "---" },
    ] as never[];
    const names = pools.map((p, i) => aksPoolName(p, i));
    for (const n of names) expect(n).toMatch(/^[a-z0-9]{1,12}$/);
    expect(new Set(names).size).toBe(names.length);
    const main = terraformAks(ctxOf({ cloud_provider: "azure" }))["main.tf"];
    expect(main).toContain("workload_identity_enabled = true");
    // AKS taints spot nodes itself; the Terraform declares it so plans show no drift.
    expect(main).toMatch(
      /node_taints\s+= \["nvidia.com\/gpu=present:NoSchedule", "kubernetes.azure.com\/scalesetpriority=spot:NoSchedule"\]\n\s+priority\s+= "Spot"/,
    );
  });

  it.each(["ml-production", "a-twenty-five-char-name-x", "abcdefghijklmnopqrstuvwxyz-abcdefghijklm"])(
    "GKE: the node service account id of cluster %s is a valid 6-30 character id",
    (cluster_name) => {
      const main = terraformGke(ctxOf({ cloud_provider: "gcp", cluster_name }))["main.tf"];
      const id = /account_id\s+= "([^"]+)"/.exec(main!)![1];
      expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
      expect(id!.endsWith("-nodes")).toBe(true);
    },
  );
});
