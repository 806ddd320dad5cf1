import { expect, test } from "@playwright/test";
import { cloudDefaults } from "@/components/requests/request-form-model";
import { requestFormHref } from "@/lib/requests/draft-link";
import { signIn } from "../shared/sign-in";
import { managersOwning, sandboxCluster } from "../shared/sandbox-cluster";
import { gotoHydrated, shots, uniqueSuffix, waitForTimeline, approveAcknowledgingPrecheck } from "../shared/pages";

// Somebody hand-edited a field with their own field manager (as `kubectl apply --server-side` does); the request
// sets that field too. Server-side apply answers 409 and the portal shows the conflict (field and manager) and never
// forces it: the engineer cannot force, an admin can, with a reason that is audited, and then the apply succeeds.
// Every name carries a random suffix (namespace, model server, cluster name and so the EC2NodeClass, node pool), so
// this spec leaves no object that another spec applying to the same sandbox would meet (a shared NodePool "inference"
// owned by this run would show up as a conflict in request-apply.spec.ts's dry-run preview).

test("a conflicting field manager stops the apply with the field and manager shown; an admin forces it with an audited reason", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const suffix = uniqueSuffix();
  const namespace = `e2e-conflict-${suffix}`;
  const server = `ms-${suffix}`;
  const scaler = { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", namespace, name: `${server}-scaler` };
  const title = `Conflicting scaler ${suffix}`;
  const reason = `The kubectl hotfix of ${server}-scaler (max 4 replicas) is superseded by this plan`;
  const hotfixManager = "kubectl-hotfix";

  // 1. Someone on call capped the scaler at 4 replicas by hand, with their own field manager.
  const sandbox = sandboxCluster();
  await sandbox.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }, "platform-bootstrap");
  await sandbox.apply(
    {
      apiVersion: scaler.apiVersion,
      kind: scaler.kind,
      metadata: { name: scaler.name, namespace },
      spec: { scaleTargetRef: { name: server }, maxReplicaCount: 4 },
    },
    hotfixManager,
  );
  const planted = await sandbox.get(scaler);
  expect(planted.status).toBe(200);
  expect(managersOwning(planted.body, ["spec", "maxReplicaCount"])).toEqual([hotfixManager]);

  // 2. The engineer requests a scaling profile for that model server (max 6 replicas), through the form's draft link.
  const nodePools = cloudDefaults("aws", "inference_scaling").node_pools.map((pool) => ({
    ...pool,
    name: `${pool.name}-${suffix}`,
  }));
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(
    page,
    requestFormHref(
      {
        cloud_provider: "aws",
        cluster_name: `e2e-${suffix}`,
        namespaces: { inference: namespace },
        model_server: { name: server },
        scale_requirements: { min_replicas: 1, max_replicas: 6 },
        node_pools: nodePools,
      },
      "inference_scaling",
    ),
  );
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await expect(page.getByLabel("Target cluster").locator("option:checked")).toHaveText("sandbox — local API double");
  await expect(page.getByLabel("Maximum replicas")).toHaveValue("6");
  const manifests = page.getByLabel("Generated Kubernetes manifests", { exact: true });
  await expect(manifests).toContainText(`name: ${server}-scaler`);
  await expect(manifests).toContainText(`namespace: ${namespace}`);
  await expect(manifests).toContainText("maxReplicaCount: 6");
  await expect(manifests).toContainText(`name: ${nodePools[0]!.name}`);
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  const requestUrl = new URL(page.url()).pathname;
  const requestId = requestUrl.split("/").pop()!;
  await expect(page.getByTestId("request-status")).toHaveText("Pending approval");
  const requestNumber = /REQ-(\d+)/.exec((await page.getByRole("heading", { level: 1 }).textContent()) ?? "")?.[1];
  expect(requestNumber).toBeTruthy();

  // 3. The admin's dry-run already names the conflict; the admin approves, and the worker's apply stops on it.
  const admin = await browser.newPage();
  await admin.setViewportSize({ width: 1440, height: 900 });
  await signIn(admin, "admin@demo.local");
  await admin.goto(requestUrl);
  await expect(admin.getByTestId("request-status")).toHaveText("Pending approval");
  await waitForTimeline(admin);
  await admin.getByRole("tab", { name: "Diff" }).click();
  await admin.getByRole("button", { name: "Dry-run against sandbox" }).click();
  const dryRun = admin.getByTestId("dry-run");
  await expect(dryRun).toContainText("The cluster refuses at least one object");
  await expect(dryRun).toContainText(`conflict on .spec.maxReplicaCount owned by ${hotfixManager}`);
  await admin.getByLabel("Comment").fill("Approved: the apply will show whether the hotfix is still there");
  if (await admin.getByLabel("Override reason").isVisible())
    await admin.getByLabel("Override reason").fill("Sandbox only: findings are tracked separately");
  await approveAcknowledgingPrecheck(admin);
  await expect(admin.getByTestId("request-status")).toHaveText("Apply failed", { timeout: 90_000 });

  // The conflict is shown with its field and manager; the server-side dry-run met it, so nothing was applied.
  const conflictRow = admin
    .getByTestId("apply-result-row")
    .filter({ hasText: `ScaledObject/${namespace}/${server}-scaler` });
  await expect(conflictRow).toHaveAttribute("data-outcome", "failed");
  await expect(conflictRow).toContainText("HTTP 409");
  await expect(conflictRow.getByTestId("conflicts")).toContainText(
    `conflict on .spec.maxReplicaCount owned by ${hotfixManager}`,
  );
  await expect(admin.getByTestId("timeline")).toContainText("nothing was applied");
  await admin.screenshot({ path: `${shots}/apply-conflict.png`, fullPage: true });
  const afterConflict = await sandbox.get(scaler);
  expect((afterConflict.body.spec as { maxReplicaCount?: number }).maxReplicaCount).toBe(4);
  expect(managersOwning(afterConflict.body, ["spec", "maxReplicaCount"])).toEqual([hotfixManager]);
  expect((await sandbox.get({ apiVersion: "apps/v1", kind: "Deployment", namespace, name: server })).status).toBe(404);

  // 4. The engineer sees the same conflict but cannot force it; the API refuses them too (403).
  await page.reload();
  await expect(page.getByTestId("request-status")).toHaveText("Apply failed");
  await expect(
    page
      .getByTestId("apply-result-row")
      .filter({ hasText: `${server}-scaler` })
      .getByTestId("conflicts"),
  ).toContainText(`owned by ${hotfixManager}`);
  await waitForTimeline(page);
  await expect(page.getByRole("button", { name: "Force apply" })).toHaveCount(0);
  const refused = await page.request.post(`/api/v1/requests/${requestId}/force-apply`, {
    data: { reason: "I would like it applied now" },
  });
  expect(refused.status()).toBe(403);

  // 5. The admin forces the apply; the dialog will not confirm without a reason of at least 10 characters.
  await admin.getByRole("button", { name: "Force apply" }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText("Force apply over the conflict");
  const confirm = dialog.getByRole("button", { name: "Force apply" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Reason").fill("hotfix");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Reason").fill(reason);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(admin.getByTestId("request-status")).toHaveText("Applied", { timeout: 90_000 });

  // The forced run is labelled with its reason, the scaler is taken over ("configured"), and nothing failed.
  const results = admin.getByTestId("apply-results");
  await expect(results).toContainText("forced");
  await expect(results).toContainText(reason);
  const rows = admin.getByTestId("apply-result-row");
  await expect(rows.filter({ hasText: `ScaledObject/${namespace}/${server}-scaler` })).toHaveAttribute(
    "data-outcome",
    "configured",
  );
  await expect(rows.filter({ hasText: `Deployment/${namespace}/${server}` })).toHaveAttribute(
    "data-outcome",
    "created",
  );
  const outcomes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-outcome")));
  expect(outcomes.length).toBeGreaterThan(3);
  expect(outcomes.filter((o) => o !== "created" && o !== "configured" && o !== "unchanged")).toEqual([]);
  await admin.screenshot({ path: `${shots}/force-applied.png`, fullPage: true });

  // In the cluster the portal's field manager now owns the field, with the plan's value.
  const forced = await sandbox.get(scaler);
  expect((forced.body.spec as { maxReplicaCount?: number }).maxReplicaCount).toBe(6);
  const owners = managersOwning(forced.body, ["spec", "maxReplicaCount"]);
  expect(owners).toHaveLength(1);
  expect(owners).not.toContain(hotfixManager);
  await expect(admin.getByTestId("timeline")).toContainText(`applying with field manager "${owners[0]}"`);

  // 6. The audit log names who forced which request and why; the engineer's refused attempt is there too.
  await admin.goto("/audit");
  await admin.getByLabel("Action starts with").fill("request.force-apply");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/action=request\.force-apply/);
  // The target is shown by its name, linked to the request, with the raw id kept in the tooltip.
  const target = admin.getByTestId("audit-table").getByRole("link", { name: `REQ-${requestNumber}`, exact: true });
  await expect(target).toHaveAttribute("href", `/requests/${requestId}`);
  await expect(target).toHaveAttribute("title", `request ${requestId}`);
  const entry = admin
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ has: admin.getByRole("link", { name: `REQ-${requestNumber}`, exact: true }) });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("admin@demo.local");
  await expect(entry).toContainText("request.force-apply");
  await expect(entry).toContainText("success");
  await expect(entry).toContainText(reason);
  await admin.goto("/audit?action=request.force-apply&outcome=denied&actor=engineer%40demo.local");
  await expect(admin.getByTestId("audit-table")).toContainText("engineer@demo.local");
  await admin.close();
});
