// Notifications end to end below the UI: raised in the transaction of the change they report, fanned out and
// delivered through the real pg-boss queue, to a local webhook receiver that checks the HMAC signature and a real
// SMTP server; retries with backoff, a receiver that is down, and the URL policy.
import { httpRejection } from "@/test-support/http-view";
import { afterAll, assert, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { getBoss } from "@/lib/jobs/queue.server";
import { jobDefinitions } from "@/lib/jobs/job-definitions";
import { addToUrlAllowList, updateUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { submitRequest } from "@/lib/requests/submit-request.server";
import { decideRequest } from "@/lib/requests/decide-request.server";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { checkRequestDrift } from "@/lib/requests/check-request-drift.server";
import { revertRequest } from "@/lib/requests/revert-request.server";
import { deletesShown } from "@/test-support/revert-confirmation";
import {
  configMaps,
  insertApprovedRequest,
  startRequestWorld,
  type RequestWorld,
} from "@/test-support/request-fixtures";
import {
  closedPort,
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from "@/test-support/notification-receivers";
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "./delivery-policy";
import { notificationSchema } from "./events";
import { attemptDelivery } from "./deliver-notification.server";
import { fanOutNotification, handleNotificationDeliver } from "./notification-jobs.server";
import { createSubscription } from "./create-subscription.server";
import { deleteSubscription } from "./delete-subscription.server";
import { listDeliveries } from "./list-deliveries.server";
import { listSubscriptions } from "./list-subscriptions.server";
import { sendTestNotification } from "./send-test-notification.server";
import { DELIVERY_LOG_DAYS, pruneDeliveryLog } from "./prune-delivery-log.server";
import { SIGNATURE_HEADER, verifySignature } from "./webhook-signature";
import type { NotificationConfig } from "./notification-config.server";

let world: RequestWorld;
let webhook: WebhookReceiver;
let smtp: SmtpReceiver;
const ctx = { jobId: "test-job", signal: new AbortController().signal };

beforeAll(async () => {
  world = await startRequestWorld();
  [webhook, smtp] = await Promise.all([startWebhookReceiver(), startSmtpReceiver()]);
  process.env.SMTP_URL = smtp.url;
  process.env.NEXTAUTH_URL = "https://portal.example.com";
  await addToUrlAllowList(getPrisma(), [`127.0.0.1:${webhook.port}`]);
}, 60_000);
afterAll(async () => {
  await Promise.all([webhook?.close(), smtp?.close()]);
  await world?.close();
});
beforeEach(async () => {
  // Each test starts with no subscriptions and an empty queue, so what it drains is its own.
  await getPrisma().notificationSubscription.deleteMany();
  const boss = await getBoss();
  for (const name of ["notification.fanout", "notification.deliver", "request.apply"])
    await boss.deleteQueuedJobs(name);
  webhook.received.length = 0;
  webhook.answers.length = 0;
  smtp.mails.length = 0;
});

/** Works every job of a queue that is due now, as the worker would, until none is left. Returns how many ran. */
async function drain(name: "notification.fanout" | "notification.deliver"): Promise<number> {
  const boss = await getBoss();
  let ran = 0;
  for (;;) {
    const jobs = await boss.fetch<unknown>(name, { batchSize: 10 });
    if (!jobs.length) return ran;
    for (const job of jobs) {
      const payload = jobDefinitions[name].payload.parse(job.data);
      if (name === "notification.fanout") await fanOutNotification(payload as never);
      else await handleNotificationDeliver(payload as { deliveryId: string });
      await boss.complete(name, job.id);
      ran++;
    }
  }
}

/** The test drives the attempts with its own clock: the first attempt's queued job is dropped, retries stay visible. */
async function dropQueuedDeliveries() {
  await (await getBoss()).deleteQueuedJobs("notification.deliver");
}

async function queuedDeliverJobs(deliveryId: string) {
  const rows = await getPrisma().$queryRawUnsafe<{ start_after: Date }[]>(
    `SELECT start_after FROM pgboss.job WHERE name = 'notification.deliver' AND state = 'created' AND data->>'deliveryId' = $1`,
    deliveryId,
  );
  return rows;
}

const config = (retryBaseSeconds = 30): NotificationConfig => ({
  portalUrl: "https://portal.example.com",
  smtpUrl: smtp.url,
  emailFrom: "ML Portal <portal@example.com>",
  retryBaseSeconds,
});

async function submit(user: Awaited<ReturnType<RequestWorld["user"]>>, title: string) {
  return submitRequest({
    actor: user,
    input: {
      kind: "inference_scaling",
      title,
      teamId: user.teamIds[0]!,
      clusterTargetId: world.sandboxId,
      input: { scale_requirements: { min_replicas: 1, max_replicas: 2 } },
    },
  });
}

describe("webhooks", () => {
  it("a submitted request reaches the team's webhook once, signed with the subscription's secret", async () => {
    const engineer = await world.user("engineer@demo.local");
    const created = await createSubscription({
      actor: engineer,
      input: {
        name: "team hook",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
        teamId: engineer.teamIds[0],
      },
    });
    expect(created.signingSecret).toMatch(/^whsec_/);
    // Stored sealed: the row holds neither the secret nor its random part.
    const stored = await getPrisma().$queryRaw<{ row: string }[]>`
      SELECT row_to_json(s)::text AS row FROM "NotificationSubscription" s WHERE id = ${created.subscription.id}`;
    expect(stored[0]?.row).toContain('"signingSecret":"enc:v1:');
    expect(stored[0]?.row).not.toContain(created.signingSecret!.slice("whsec_".length));

    const request = await submit(engineer, "Signed hook");
    expect(await drain("notification.fanout")).toBe(1);
    expect(await drain("notification.deliver")).toBe(1);

    expect(webhook.received).toHaveLength(1);
    const [hit] = webhook.received;
    assert(hit, "one delivery");
    expect(verifySignature(hit!.body, created.signingSecret!, hit!.headers[SIGNATURE_HEADER] as string)).toBe(true);
    expect(verifySignature(hit!.body, "whsec_someone-else", hit!.headers[SIGNATURE_HEADER] as string)).toBe(false);
    expect(hit!.headers["x-portal-event"]).toBe("approval.needed");
    const body = JSON.parse(hit!.body);
    expect(body).toMatchObject({
      event: "approval.needed",
      teamId: engineer.teamIds[0],
      link: `https://portal.example.com/requests/${request.id}`,
    });
    expect(body.title).toContain(`REQ-${request.number} Signed hook`);
    expect(hit!.headers["x-portal-delivery"]).toBe(body.id);

    const log = await listDeliveries({ actor: engineer, query: { page: 1 } });
    expect(log.items).toMatchObject([
      { id: body.id, status: "delivered", attempts: 1, lastError: null, lastStatusCode: 204 },
    ]);
    // The secret is never shown again.
    const audit = await getPrisma().auditEvent.findMany({
      where: { action: "notification.subscribe" },
      select: { details: true },
    });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(created.signingSecret);
  });

  it("a receiver that fails is retried with exponential backoff until it answers, and the log shows each attempt", async () => {
    const engineer = await world.user("engineer@demo.local");
    await createSubscription({
      actor: engineer,
      input: {
        name: "flaky",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
        teamId: engineer.teamIds[0],
      },
    });
    webhook.answers.push(500, 503);
    await submit(engineer, "Flaky receiver");
    await drain("notification.fanout");
    await dropQueuedDeliveries();
    const delivery = await getPrisma().notificationDelivery.findFirstOrThrow();

    const t0 = new Date();
    const first = await attemptDelivery({ deliveryId: delivery.id, now: t0, config: config(30) });
    expect(first).toMatchObject({ status: "retrying", attempt: 1, nextAttemptAt: new Date(t0.getTime() + 30_000) });
    // The retry is a queued job that starts no earlier than the backoff.
    const queued = await queuedDeliverJobs(delivery.id);
    expect(queued).toHaveLength(1);
    expect(Math.abs(queued[0]!.start_after.getTime() - (t0.getTime() + 30_000))).toBeLessThan(1000);
    // A retry picked up before it is due (a stray duplicate job) sends nothing.
    expect(
      await attemptDelivery({ deliveryId: delivery.id, now: new Date(t0.getTime() + 5_000), config: config(30) }),
    ).toMatchObject({ status: "skipped" });
    expect(webhook.received).toHaveLength(1);

    const t1 = new Date(t0.getTime() + 30_000);
    expect(await attemptDelivery({ deliveryId: delivery.id, now: t1, config: config(30) })).toMatchObject({
      status: "retrying",
      attempt: 2,
      nextAttemptAt: new Date(t1.getTime() + 60_000),
    });
    const row = await getPrisma().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: "retrying", attempts: 2, lastStatusCode: 503 });
    expect(row.lastError).toContain("HTTP 503: receiver says 503");

    const t2 = new Date(t1.getTime() + 60_000);
    expect(await attemptDelivery({ deliveryId: delivery.id, now: t2, config: config(30) })).toMatchObject({
      status: "delivered",
      attempt: 3,
    });
    expect(webhook.received).toHaveLength(3);
    // Every attempt carried the same delivery id, so the receiver can drop repeats.
    expect(new Set(webhook.received.map((r) => r.headers["x-portal-delivery"])).size).toBe(1);
    expect(await getPrisma().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastError: null,
      deliveredAt: t2,
    });
  });

  it("a receiver that refuses the request (4xx) is not retried", async () => {
    const engineer = await world.user("engineer@demo.local");
    await createSubscription({
      actor: engineer,
      input: {
        name: "gone",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    webhook.answers.push(410);
    await submit(engineer, "Gone receiver");
    await drain("notification.fanout");
    await drain("notification.deliver");
    const row = await getPrisma().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 410 });
    expect(row.lastError).toBe(
      "the receiver answered HTTP 410: receiver says 410 (not retried: the receiver refuses the request as sent; fix the receiver, then Send test)",
    );
    expect(await queuedDeliverJobs(row.id)).toHaveLength(0);
  });

  it("a receiver that is down never blocks the request; the log shows each failure until it gives up", async () => {
    const engineer = await world.user("engineer@demo.local");
    const port = await closedPort();
    await addToUrlAllowList(getPrisma(), [`127.0.0.1:${port}`]);
    await createSubscription({
      actor: engineer,
      input: {
        name: "down",
        channel: "webhook",
        target: `http://127.0.0.1:${port}/hook`,
        events: ["approval.needed"],
        teamId: engineer.teamIds[0],
      },
    });

    const request = await submit(engineer, "Receiver down");
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "pending_approval",
    );
    await drain("notification.fanout");
    await dropQueuedDeliveries();
    const delivery = await getPrisma().notificationDelivery.findFirstOrThrow();
    let now = new Date();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      const outcome = await attemptDelivery({ deliveryId: delivery.id, now, config: config(30) });
      expect(outcome.status).toBe(attempt < MAX_DELIVERY_ATTEMPTS ? "retrying" : "failed");
      now = new Date(now.getTime() + retryDelaySeconds(attempt, 30) * 1000);
    }
    const [logged] = (await listDeliveries({ actor: engineer, query: { page: 1 } })).items;
    expect(logged).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, nextAttemptAt: null });
    expect(logged!.lastError).toContain(`127.0.0.1:${port} refused the connection`);
    // One job per retry (this test runs them itself), none after giving up.
    expect(await queuedDeliverJobs(delivery.id)).toHaveLength(MAX_DELIVERY_ATTEMPTS - 1);
  });

  it("the operation commits even when the queue refuses the notification", async () => {
    const engineer = await world.user("engineer@demo.local");
    const boss = await getBoss();
    await boss.deleteQueue("notification.fanout");
    try {
      const request = await submit(engineer, "Queue refused");
      expect(await getPrisma().request.findUnique({ where: { id: request.id } })).not.toBeNull();
      expect(await getPrisma().requestEvent.count({ where: { requestId: request.id, type: "submitted" } })).toBe(1);
    } finally {
      await boss.createQueue("notification.fanout", jobDefinitions["notification.fanout"].queue);
    }
  });

  it("webhook URLs go through the URL policy: refused when created, and at delivery once the host is no longer allowed", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    await expect(
      httpRejection(
        createSubscription({
          actor: engineer,
          input: {
            name: "x",
            channel: "webhook",
            target: "http://hooks.not-listed.example:8080/x",
            events: ["approval.needed"],
          },
        }),
      ),
    ).rejects.toMatchObject({ status: 422, fields: [{ path: "target" }] });
    await expect(
      httpRejection(
        createSubscription({
          actor: engineer,
          input: {
            name: "x",
            channel: "webhook",
            target: "http://169.254.169.254/latest",
            events: ["approval.needed"],
          },
        }),
      ),
    ).rejects.toMatchObject({ status: 422, fields: [{ path: "target" }] });
    expect(await getPrisma().notificationSubscription.count()).toBe(0);

    await createSubscription({
      actor: engineer,
      input: {
        name: "later refused",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    await submit(engineer, "Policy at delivery");
    await drain("notification.fanout");
    await updateUrlAllowList({ actor: admin, list: { entries: [] } });
    try {
      await drain("notification.deliver");
    } finally {
      await updateUrlAllowList({ actor: admin, list: { entries: [`127.0.0.1:${webhook.port}`] } });
    }
    expect(webhook.received).toHaveLength(0);
    const row = await getPrisma().notificationDelivery.findFirstOrThrow();
    expect(row.status).toBe("retrying");
    expect(row.lastError).toMatch(/allow-list/i);
  });
});

describe("email and Slack", () => {
  it("an applied request is mailed over SMTP to a person's subscription", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    await createSubscription({
      actor: engineer,
      input: {
        name: "my mail",
        channel: "email",
        target: "engineer-alerts@example.com",
        events: ["request.applied", "request.apply_failed"],
      },
    });
    const request = await submit(engineer, "Mailed apply");
    await decideRequest({ actor: admin, requestId: request.id, decision: "approved", input: { comment: "ok" } });
    const run = await getPrisma().applyRun.findFirstOrThrow({ where: { requestId: request.id } });
    await handleRequestApply({ applyRunId: run.id }, ctx);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("applied");

    await drain("notification.fanout");
    await drain("notification.deliver");
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.to).toEqual(["engineer-alerts@example.com"]);
    expect(mail!.headers.subject).toContain(`Request applied: REQ-${request.number} Mailed apply was applied`);
    expect(mail!.headers["x-portal-event"]).toBe("request.applied");
    expect(mail!.body.replace(/=\r?\n/g, "")).toContain(`https://portal.example.com/requests/${request.id}`);
    expect(await getPrisma().notificationDelivery.findFirstOrThrow()).toMatchObject({
      status: "delivered",
      attempts: 1,
    });
  });

  it("email subscriptions are refused naming the channel when no SMTP server is configured", async () => {
    const engineer = await world.user("engineer@demo.local");
    const saved = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      await expect(
        httpRejection(
          createSubscription({
            actor: engineer,
            input: {
              name: "m",
              channel: "email",
              target: "a@example.com",
              events: ["approval.needed"],
            },
          }),
        ),
      ).rejects.toMatchObject({ status: 422, fields: [{ path: "channel" }] });
    } finally {
      process.env.SMTP_URL = saved;
    }
  });

  it("a test send goes to a Slack incoming webhook as mrkdwn text with the link, unsigned", async () => {
    const engineer = await world.user("engineer@demo.local");
    await expect(
      httpRejection(
        createSubscription({
          actor: engineer,
          input: { name: "slack", channel: "slack", target: webhook.url, events: ["drift.found"] },
        }),
      ),
    ).rejects.toMatchObject({ status: 422, fields: [{ path: "target" }] });
    // Slack URLs must be https, and the local receiver speaks plain HTTP: the row is stored directly, as the
    // https one would be, to check what is sent to it.
    const row = await getPrisma().notificationSubscription.create({
      data: {
        name: "ops <slack>",
        channel: "slack",
        target: webhook.url,
        events: ["drift.found"],
        ownerId: engineer.id,
        createdById: engineer.id,
      },
    });
    const delivery = await sendTestNotification({ actor: engineer, subscriptionId: row.id });
    expect(delivery).toMatchObject({ event: "test", status: "pending", attempts: 0 });
    await drain("notification.deliver");
    expect(webhook.received).toHaveLength(1);
    const body = JSON.parse(webhook.received[0]!.body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain(
      '*<https://portal.example.com/notifications|Test notification: test of "ops &lt;slack&gt;" sent by',
    );
    expect(webhook.received[0]!.headers[SIGNATURE_HEADER]).toBeUndefined();
    expect((await listDeliveries({ actor: engineer, query: { subscriptionId: row.id, page: 1 } })).items).toMatchObject(
      [{ event: "test", status: "delivered", attempts: 1 }],
    );
  });
});

describe("signing secrets at rest", () => {
  it("a subscription stored before sealing signs with its plain secret, and is sealed on that first delivery", async () => {
    const engineer = await world.user("engineer@demo.local");
    const legacy = "whsec_bGVnYWN5LXBsYWluLXNlY3JldC1zdG9yZWQtYmVmb3Jl";
    const row = await getPrisma().notificationSubscription.create({
      data: {
        name: "legacy hook",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
        ownerId: engineer.id,
        createdById: engineer.id,
        signingSecret: legacy,
      },
    });
    await sendTestNotification({ actor: engineer, subscriptionId: row.id });
    await drain("notification.deliver");
    expect(webhook.received).toHaveLength(1);
    const [hit] = webhook.received;
    assert(hit, "one delivery");
    expect(verifySignature(hit.body, legacy, hit.headers[SIGNATURE_HEADER] as string)).toBe(true);
    const after = await getPrisma().notificationSubscription.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.signingSecret).toMatch(/^enc:v1:/);
    expect(after.signingSecret).not.toContain(legacy.slice("whsec_".length));

    // The sealed row signs with the same secret from then on.
    await sendTestNotification({ actor: engineer, subscriptionId: row.id });
    await drain("notification.deliver");
    expect(webhook.received).toHaveLength(2);
    const second = webhook.received[1]!;
    expect(verifySignature(second.body, legacy, second.headers[SIGNATURE_HEADER] as string)).toBe(true);
  });

  it("a sealed secret that was changed is never used to sign: the delivery fails saying why, nothing is sent", async () => {
    const engineer = await world.user("engineer@demo.local");
    const created = await createSubscription({
      actor: engineer,
      input: {
        name: "tampered hook",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
        teamId: engineer.teamIds[0],
      },
    });
    const row = await getPrisma().notificationSubscription.findUniqueOrThrow({
      where: { id: created.subscription.id },
    });
    const sealed = row.signingSecret ?? "";
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "BB" : "AA"}`;
    await getPrisma().notificationSubscription.update({ where: { id: row.id }, data: { signingSecret: flipped } });
    await sendTestNotification({ actor: engineer, subscriptionId: row.id });
    await drain("notification.deliver");
    expect(webhook.received).toHaveLength(0);
    const [entry] = (await listDeliveries({ actor: engineer, query: { subscriptionId: row.id, page: 1 } })).items;
    expect(entry).toMatchObject({ status: "failed", attempts: 1 });
    expect(entry?.lastError).toContain("the signing secret cannot be read");
  });
});

describe("what raises a notification", () => {
  it("an apply raises applied, a drift check that finds drift raises drift found, a revert raises revert done", async () => {
    const engineer = await world.user("engineer@demo.local");
    await createSubscription({
      actor: engineer,
      input: {
        name: "lifecycle",
        channel: "webhook",
        target: webhook.url,
        events: ["request.applied", "drift.found", "request.reverted", "request.apply_failed"],
        teamId: engineer.teamIds[0],
      },
    });
    const { requestId, runId } = await insertApprovedRequest(
      world,
      configMaps(1, "ml-inference").map((o) => ({ ...o, metadata: { ...o.metadata, name: "notified-settings" } })),
    );
    await handleRequestApply({ applyRunId: runId }, ctx);
    // In sync: nothing to tell.
    await checkRequestDrift({ actor: engineer, requestId });
    const def = world.double.state.findByKind("v1", "ConfigMap")!;
    const live = world.double.state.get(def, "ml-inference", "notified-settings")!;
    world.double.state.delete(def, "ml-inference", "notified-settings");
    expect(
      world.double.state.create(
        def,
        "ml-inference",
        { ...live, metadata: { name: "notified-settings" }, data: { index: "changed by hand" } },
        { manager: "kubectl-edit", dryRun: false },
      ).code,
    ).toBe(201);
    expect((await checkRequestDrift({ actor: engineer, requestId })).drifted).toBe(true);
    const revert = await revertRequest({
      actor: engineer,
      requestId,
      confirmedDeletes: await deletesShown(engineer, requestId, 1),
    });
    await handleRequestApply({ applyRunId: revert.applyRunId }, ctx);

    await drain("notification.fanout");
    await drain("notification.deliver");
    const events = webhook.received.map((r) => JSON.parse(r.body) as { event: string; link: string; teamId: string });
    expect(events.map((e) => e.event).sort()).toEqual(["drift.found", "request.applied", "request.reverted"]);
    for (const e of events)
      expect(e).toMatchObject({
        teamId: engineer.teamIds[0],
        link: `https://portal.example.com/requests/${requestId}`,
      });
  });
});

describe("who hears what", () => {
  it("a person's subscription hears only about teams they may see; a team's hears only its team", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    const otherTeam = (await getPrisma().team.findMany()).find((t) => !engineer.teamIds.includes(t.id))!;
    await createSubscription({
      actor: engineer,
      input: {
        name: "mine",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    await createSubscription({
      actor: admin,
      input: {
        name: "admin all",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    await expect(
      httpRejection(
        createSubscription({
          actor: engineer,
          input: {
            name: "theirs",
            channel: "webhook",
            target: webhook.url,
            events: ["approval.needed"],
            teamId: otherTeam.id,
          },
        }),
      ),
    ).rejects.toMatchObject({ status: 403 });

    const adminAsOther = { ...admin, teamIds: [otherTeam.id] };
    await submitRequest({
      actor: adminAsOther,
      input: {
        kind: "inference_scaling",
        title: "Other team",
        teamId: otherTeam.id,
        clusterTargetId: world.sandboxId,
        input: { scale_requirements: { min_replicas: 1, max_replicas: 2 } },
      },
    });
    await drain("notification.fanout");
    const deliveries = await getPrisma().notificationDelivery.findMany({ include: { subscription: true } });
    expect(deliveries.map((d) => d.subscription.name)).toEqual(["admin all"]);
    expect((await listDeliveries({ actor: engineer, query: { page: 1 } })).total).toBe(0);
  });

  it("nobody subscribes a team to events they may not read, and a team hears portal-wide events only while its subscriber may", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    const nlp = engineer.teamIds[0]!;
    const refused = httpRejection(
      createSubscription({
        actor: engineer,
        input: {
          name: "drills to NLP",
          channel: "webhook",
          target: webhook.url,
          events: ["request.applied", "drill.failed"],
          teamId: nlp,
        },
      }),
    );
    await expect(refused).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/may not read drill\.failed/),
      fields: [{ path: "events" }],
    });
    expect(await getPrisma().notificationSubscription.count()).toBe(0);

    // One made before the rule (or by someone who lost the role since): delivery checks its subscriber now.
    await getPrisma().notificationSubscription.create({
      data: {
        name: "legacy",
        channel: "webhook",
        target: webhook.url,
        events: ["drill.failed"],
        teamId: nlp,
        createdById: engineer.id,
      },
    });
    await createSubscription({
      actor: admin,
      input: {
        name: "admin's for NLP",
        channel: "webhook",
        target: webhook.url,
        events: ["drill.failed"],
        teamId: nlp,
      },
    });
    const drill = {
      eventId: "drill-1",
      event: "drill.failed" as const,
      teamId: null,
      title: "Restore drill failed",
      summary: "",
      path: "/dr",
      occurredAt: new Date().toISOString(),
      data: {},
    };
    await fanOutNotification(drill);
    const deliveries = await getPrisma().notificationDelivery.findMany({ include: { subscription: true } });
    expect(deliveries.map((d) => d.subscription.name)).toEqual(["admin's for NLP"]);
  });

  it("nobody sees, tests or deletes another person's subscription: 404 as for an unknown id", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    const { subscription } = await createSubscription({
      actor: admin,
      input: {
        name: "admin only",
        channel: "webhook",
        target: webhook.url,
        events: ["drill.failed"],
      },
    });
    expect(await listSubscriptions({ actor: engineer })).toEqual([]);
    await expect(
      httpRejection(sendTestNotification({ actor: engineer, subscriptionId: subscription.id })),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      httpRejection(deleteSubscription({ actor: engineer, subscriptionId: subscription.id })),
    ).rejects.toMatchObject({ status: 404 });
    expect(await getPrisma().notificationSubscription.count()).toBe(1);
    await deleteSubscription({ actor: admin, subscriptionId: subscription.id });
    expect(
      await getPrisma().auditEvent.count({ where: { action: "notification.unsubscribe", targetId: subscription.id } }),
    ).toBe(1);
  });

  it("the delivery log keeps finished deliveries for its retention and unfinished ones whatever their age", async () => {
    const engineer = await world.user("engineer@demo.local");
    const { subscription } = await createSubscription({
      actor: engineer,
      input: {
        name: "old",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    const old = new Date(Date.now() - (DELIVERY_LOG_DAYS + 1) * 86_400_000);
    const row = (eventId: string, status: "delivered" | "failed" | "retrying", createdAt: Date) => ({
      subscriptionId: subscription.id,
      eventId,
      event: "approval.needed",
      payload: {},
      status,
      maxAttempts: 6,
      createdAt,
    });
    await getPrisma().notificationDelivery.createMany({
      data: [
        row("a", "delivered", old),
        row("b", "failed", old),
        row("c", "retrying", old),
        row("d", "delivered", new Date()),
      ],
    });
    expect(await pruneDeliveryLog(new Date())).toBe(2);
    expect(
      (await getPrisma().notificationDelivery.findMany({ orderBy: { eventId: "asc" } })).map((d) => d.eventId),
    ).toEqual(["c", "d"]);
  });

  it("a fan-out that runs twice delivers once", async () => {
    const engineer = await world.user("engineer@demo.local");
    await createSubscription({
      actor: engineer,
      input: {
        name: "once",
        channel: "webhook",
        target: webhook.url,
        events: ["approval.needed"],
      },
    });
    await submit(engineer, "Twice");
    const [job] = await getPrisma().$queryRawUnsafe<{ data: unknown }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'notification.fanout' AND state = 'created'`,
    );
    const n = notificationSchema.parse(job!.data);
    expect(await fanOutNotification(n)).toEqual({ deliveries: 1 });
    expect(await fanOutNotification(n)).toEqual({ deliveries: 0 });
    expect(await getPrisma().notificationDelivery.count()).toBe(1);
  });
});
