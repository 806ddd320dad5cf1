import { describe, expect, it } from "vitest";
import { generatePlan } from "./generate-plan";
import type { RecoveryPlan } from "./recovery-plans";
import { planInputSchema, type PlanInputDraft } from "./schema";

const recoveryPlans = async (draft: Omit<PlanInputDraft, "infrastructure_task">) =>
  (await generatePlan(planInputSchema.parse({ infrastructure_task: "disaster_recovery", ...draft })))
    .infrastructure_config.recovery_plans as RecoveryPlan[];

describe("on-premises cluster-failure recovery", () => {
  it("rebuilds network, workers, GPU stack and NFS class between kubeadm init and Velero", async () => {
    const plans = await recoveryPlans({ cloud_provider: "on_premise", workload_type: "training" });
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps.map((s) => s.command.join(" "));
    const at = (pattern: RegExp) => {
      const i = steps.findIndex((s) => pattern.test(s));
      expect(i, String(pattern)).toBeGreaterThanOrEqual(0);
      return i;
    };
    const order = [
      at(/^kubeadm init /),
      at(
        /^kubectl apply -f https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v\d+\.\d+\.\d+\/manifests\/calico\.yaml$/,
      ),
      at(/^kubeadm token create --print-join-command/),
      at(/^kubeadm join --config kubeadm\/join-gpu-training\.yaml$/),
      at(/^helm upgrade --install gpu-operator .* --version v\d+\.\d+\.\d+ /),
      at(
        /^helm upgrade --install nfs-subdir-external-provisioner .* --version \d+\.\d+\.\d+ .*storageClass\.name=nfs-client/,
      ),
      at(/^kubectl create secret generic velero-object-store /),
      at(/^helm upgrade --install velero /),
      at(/^velero restore create --from-schedule /),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("keeps the cloud recoveries to terraform apply then Velero", async () => {
    const plans = await recoveryPlans({ cloud_provider: "gcp", workload_type: "inference" });
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps.map((s) => s.command[0]);
    expect(steps.slice(0, 2)).toEqual(["terraform", "helm"]);
  });
});

describe("on-premises backup store", () => {
  it("defaults to a placeholder outside the cluster, flagged and listed as provided by you", async () => {
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider: "on_premise" }),
    );
    const location = out.deployment_manifests.find((o) => o.kind === "BackupStorageLocation")!;
    const url = (location.spec as { config: { s3Url: string } }).config.s3Url;
    expect(url).not.toMatch(/\.svc(\.|:|$)/);
    expect(out.viability_report.findings.map((f) => f.check)).toContain("viability.placeholder-object-store");
    const store = out.requires.find((r) => r.kind === "object-store")!;
    expect(store.provided_by).toBe("you");
    expect(store.settings.find((s) => s.key === "disaster_recovery.object_store_url")?.value).toBe(url);
  });

  it("blocks a store inside the cluster it backs up", async () => {
    const out = await generatePlan(
      planInputSchema.parse({
        infrastructure_task: "disaster_recovery",
        cloud_provider: "on_premise",
        disaster_recovery: { object_store_url: "https://minio.minio.svc:9000" },
      }),
    );
    const finding = out.viability_report.findings.find((f) => f.check === "viability.backup-store-in-cluster");
    expect(finding?.severity).toBe("high");
  });
});
