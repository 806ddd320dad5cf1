import { describe, expect, it } from "vitest";
import { emailMessage, slackBody, webhookBody, type Notification } from "./events";
import { createSubscriptionSchema, maskTarget } from "./schema";

const n: Notification = {
  eventId: "e1",
  event: "request.apply_failed",
  teamId: "t1",
  title: "REQ-7 <pool> failed to apply on sandbox",
  summary: "quota exceeded & retried",
  path: "/requests/r7",
  occurredAt: "2026-12-07T10:00:00.000Z",
  data: { attempt: 2 },
};

describe("rendering", () => {
  it("the webhook body carries the event, the absolute link and the data", () => {
    expect(webhookBody(n, "d1", "https://portal.example.com")).toEqual({
      id: "d1",
      eventId: "e1",
      event: "request.apply_failed",
      teamId: "t1",
      title: n.title,
      summary: n.summary,
      link: "https://portal.example.com/requests/r7",
      occurredAt: n.occurredAt,
      data: { attempt: 2 },
    });
  });
  it("Slack text escapes its control characters and links the headline", () => {
    expect(slackBody(n, "https://portal.example.com").text).toBe(
      "*<https://portal.example.com/requests/r7|Apply failed: REQ-7 &lt;pool&gt; failed to apply on sandbox>*\nquota exceeded &amp; retried",
    );
  });
  it("email has the headline as subject and the link in the body", () => {
    const m = emailMessage(n, "https://portal.example.com");
    expect(m.subject).toBe("[ML Portal] Apply failed: REQ-7 <pool> failed to apply on sandbox");
    expect(m.text).toContain("https://portal.example.com/requests/r7");
  });
});

describe("subscription input", () => {
  const base = { name: "n", events: ["approval.needed"] };
  it.each([
    ["email", "not-an-address", "target"],
    ["slack", "http://hooks.slack.com/services/T/B/x", "target"],
    ["webhook", "ftp//nope", "target"],
  ])("refuses a %s target %s naming %s", (channel, target, path) => {
    const r = createSubscriptionSchema.safeParse({ ...base, channel, target });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]!.path).toEqual([path]);
  });
  it("refuses no events and unknown events", () => {
    expect(
      createSubscriptionSchema.safeParse({ ...base, channel: "webhook", target: "https://x.example/h", events: [] })
        .error?.issues[0]!.path,
    ).toEqual(["events"]);
    expect(
      createSubscriptionSchema.safeParse({
        ...base,
        channel: "webhook",
        target: "https://x.example/h",
        events: ["everything"],
      }).error?.issues[0]!.path,
    ).toEqual(["events", 0]);
  });
  it("masks the secret part of webhook URLs", () => {
    expect(maskTarget("slack", "https://hooks.slack.com/services/T000/B000/XXXXXXXX")).toBe(
      "https://hooks.slack.com/services/…",
    );
    expect(maskTarget("webhook", "https://ci.example.com/hook?token=abc")).toBe("https://ci.example.com/hook?…");
    expect(maskTarget("email", "a@example.com")).toBe("a@example.com");
  });
});
