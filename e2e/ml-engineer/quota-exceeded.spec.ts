import { expect, test } from "@playwright/test";
import { requestFormHref } from "@/lib/requests/draft-link";
import { signIn } from "../shared/sign-in";
import { sandboxCluster } from "../shared/sandbox-cluster";
import { gotoHydrated, shots, uniqueSuffix, waitForTimeline, approveAcknowledgingPrecheck } from "../shared/pages";

// The namespace's GPU quota cannot hold the plan's minimum scale: the apply's pre-condition stops it before anything
// is sent to the cluster, and the request page shows the quota (requested, allowed, used, available) with the
// reference design's two ways out: a quota increase request, or a smaller plan pre-filled in the form.
// The namespace, its quota and every name carry a random suffix, so no other spec touches them.

test("a request over the namespace's GPU quota is stopped before the apply, with the shortfall and both recoveries", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const suffix = uniqueSuffix();
  const namespace = `e2e-quota-${suffix}`;
  const server = `ms-${suffix}`;
  const title = `Over quota ${suffix}`;

  // 1. The team's namespace has a quota of 4 GPUs, one of them held by a running single-GPU workload.
  const sandbox = sandboxCluster();
  await sandbox.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }, "platform-bootstrap");
  await sandbox.apply(
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "gpu-quota", namespace },
      spec: { hard: { "requests.nvidia.com/gpu": "4", "limits.nvidia.com/gpu": "4" } },
    },
    "platform-bootstrap",
  );
  const labels = { app: "batch-embedder" };
  await sandbox.apply(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "batch-embedder", namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "embedder",
                image: "busybox:1.36",
                resources: {
                  requests: { "nvidia.com/gpu": "1", cpu: "1", memory: "2Gi" },
                  limits: { "nvidia.com/gpu": "1", memory: "2Gi" },
                },
              },
            ],
          },
        },
      },
    },
    "kubectl",
  );
  // The sandbox's quota controller counts the workload's pod once it is running (about 2 s).
  await expect
    .poll(
      async () =>
        (
          (await sandbox.get({ apiVersion: "v1", kind: "ResourceQuota", namespace, name: "gpu-quota" })).body.status as
            { used?: Record<string, string> } | undefined
        )?.used?.["requests.nvidia.com/gpu"],
      { timeout: 30_000 },
    )
    .toBe("1");

  // 2. The engineer asks for 4 to 8 single-GPU replicas there: 4 GPUs at minimum scale, but only 3 are free.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(
    page,
    requestFormHref(
      {
        cluster_name: `e2e-${suffix}`,
        namespaces: { inference: namespace },
        model_server: { name: server, gpus_per_replica: 1 },
        scale_requirements: { min_replicas: 4, max_replicas: 8 },
      },
      "inference_scaling",
    ),
  );
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await expect(page.getByLabel("Target cluster").locator("option:checked")).toHaveText("sandbox — local API double");
  await expect(page.getByLabel("Minimum replicas")).toHaveValue("4");
  await expect(page.getByLabel("Maximum replicas")).toHaveValue("8");
  await expect(page.getByLabel("Generated Kubernetes manifests", { exact: true })).toContainText(
    `namespace: ${namespace}`,
  );
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  const requestUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId("request-status")).toHaveText("Pending approval");

  // 3. An admin approves; the worker's quota pre-condition fails.
  const admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  await admin.goto(requestUrl);
  await expect(admin.getByTestId("request-status")).toHaveText("Pending approval");
  await waitForTimeline(admin);
  await admin.getByLabel("Comment").fill("Approved if the namespace has the GPUs");
  if (await admin.getByLabel("Override reason").isVisible())
    await admin.getByLabel("Override reason").fill("Sandbox only: findings are tracked separately");
  await approveAcknowledgingPrecheck(admin);
  await expect(admin.getByTestId("request-status")).toHaveText("Apply failed", { timeout: 90_000 });
  await admin.close();

  // 4. The engineer sees the shortfall and the two ways out.
  await page.reload();
  await expect(page.getByTestId("request-status")).toHaveText("Apply failed");
  const panel = page.getByTestId("quota-exceeded");
  await expect(panel).toContainText(`GPU quota exceeded in ${namespace}`);
  await expect(panel).toContainText("the plan needs 4 GPU(s) at minimum scale");
  await expect(panel).toContainText("quota gpu-quota allows 4 and 1 are used, so 3 are available");
  await expect(panel).toContainText("Nothing was applied.");
  await expect(panel.getByRole("heading", { name: "Option 1 · ask for more quota" })).toBeVisible();
  const increase = panel.getByLabel("Quota increase request", { exact: true });
  await expect(increase).toContainText("Requested: 4 GPUs; available now: 3; increase needed: 1 GPUs");
  await expect(increase).toContainText(`namespace ${namespace}`);
  await expect(panel.getByRole("heading", { name: "Option 2 · request a plan that fits now" })).toBeVisible();
  await expect(panel.getByRole("listitem")).toContainText([
    "scale_requirements.max_replicas 8 -> 3",
    "node pool inference: max_nodes 100 -> 3",
  ]);
  await expect(page.getByTestId("timeline")).toContainText("Pre-condition quota_available failed");
  await page.screenshot({ path: `${shots}/quota-exceeded.png`, fullPage: true });

  // Nothing was applied: no per-object result, no forcing offered, and none of the plan's objects in the cluster.
  await expect(page.getByTestId("apply-results")).toContainText("No object results yet.");
  await expect(page.getByTestId("apply-result-row")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Force apply" })).toHaveCount(0);
  for (const ref of [
    { apiVersion: "apps/v1", kind: "Deployment", namespace, name: server },
    { apiVersion: "v1", kind: "Service", namespace, name: server },
    { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", namespace, name: `${server}-scaler` },
  ]) {
    expect((await sandbox.get(ref)).status, `${ref.kind}/${ref.name}`).toBe(404);
  }

  // 5. The smaller plan opens in the form, pre-filled to fit the 3 free GPUs.
  await panel.getByRole("link", { name: "Request the smaller plan" }).click();
  await expect(page).toHaveURL(/\/requests\/new\?kind=inference_scaling&draft=/);
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await expect(page.getByLabel("Minimum replicas")).toHaveValue("3");
  await expect(page.getByLabel("Maximum replicas")).toHaveValue("3");
  const manifests = page.getByLabel("Generated Kubernetes manifests", { exact: true });
  await expect(manifests).toContainText(`namespace: ${namespace}`);
  await expect(manifests).toContainText("maxReplicaCount: 3");
});
