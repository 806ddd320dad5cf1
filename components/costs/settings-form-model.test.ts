import { describe, expect, it } from "vitest";
import { costSettingsSchema } from "@/lib/costs/schema";
import {
  formatAllowList,
  formatBudgetInput,
  formErrorsFromApi,
  formValuesFromSettings,
  modelServerOptions,
  parseAllowList,
  parseBudgetInput,
  settingsFromFormValues,
  type CostSettingsFormValues,
} from "./settings-form-model";

const defaults = (): CostSettingsFormValues => formValuesFromSettings(costSettingsSchema.parse({}));

describe("parseAllowList", () => {
  it.each([
    ["", []],
    ["10.0.0.0/8", ["10.0.0.0/8"]],
    ["10.0.0.0/8\nprometheus.monitoring.svc", ["10.0.0.0/8", "prometheus.monitoring.svc"]],
    ["  127.0.0.1  \r\n\r\n\n fd00::/8 \n", ["127.0.0.1", "fd00::/8"]],
    ["127.0.0.1\n127.0.0.1\nlocalhost", ["127.0.0.1", "localhost"]],
  ])("%j → %j", (text, expected) => {
    expect(parseAllowList(text)).toEqual(expected);
  });

  it("round-trips through the textarea text", () => {
    const list = ["127.0.0.1", "10.0.0.0/8", "prometheus.internal"];
    expect(parseAllowList(formatAllowList(list))).toEqual(list);
  });
});

describe("formValuesFromSettings / settingsFromFormValues", () => {
  it("fills the form from the current setting and gives back the same setting unchanged", () => {
    const current = costSettingsSchema.parse({
      sources: ["demo", "prometheus"], cloud: "gcp", prometheusUrl: "http://prometheus.monitoring.svc:9090", prometheusAllow: ["10.0.0.0/8", "127.0.0.1"],
      modelServer: "triton", awsRegion: "eu-west-1", awsEndpoint: "https://ce.example.com", teamTagKey: "owner", workloadTagKey: "kind", staleAfterHours: 6,
    });
    const values = formValuesFromSettings(current);
    expect(values).toMatchObject({ prometheusAllow: "10.0.0.0/8\n127.0.0.1", staleAfterHours: "6", modelServer: "triton", awsEndpoint: "https://ce.example.com" });
    expect(settingsFromFormValues(values)).toEqual({ ok: true, settings: current });
  });

  it("turns empty optional URLs into absent ones and trims what was typed", () => {
    const result = settingsFromFormValues({ ...defaults(), prometheusUrl: "  ", awsEndpoint: "", awsRegion: " us-west-2 ", prometheusAllow: " 10.0.0.1 \n\n", staleAfterHours: " 12 " });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const body = JSON.parse(JSON.stringify(result.settings)); // what PUT sends
    expect(body).not.toHaveProperty("prometheusUrl");
    expect(body).not.toHaveProperty("awsEndpoint");
    expect(result.settings).toMatchObject({ awsRegion: "us-west-2", prometheusAllow: ["10.0.0.1"], staleAfterHours: 12 });
  });

  it.each<[string, Partial<CostSettingsFormValues>, string, RegExp]>([
    ["no source", { sources: [] }, "sources", /at least one source/],
    ["a URL that is not one", { prometheusUrl: "not a url" }, "prometheusUrl", /http\(s\) URL like/],
    ["a region with capitals", { awsRegion: "US-EAST-1" }, "awsRegion", /region code like us-east-1/],
    ["an endpoint that is not a URL", { awsEndpoint: "ce.local" }, "awsEndpoint", /URL like https:/],
    ["an empty tag key", { teamTagKey: "  " }, "teamTagKey", /tag key/],
    ["hours as words", { staleAfterHours: "three" }, "staleAfterHours", /whole number of hours/],
    ["no hours at all", { staleAfterHours: "" }, "staleAfterHours", /whole number of hours/],
    ["zero hours", { staleAfterHours: "0" }, "staleAfterHours", /from 1 to 336/],
    ["more than 14 days", { staleAfterHours: "337" }, "staleAfterHours", /from 1 to 336/],
    ["fractional hours", { staleAfterHours: "1.5" }, "staleAfterHours", /whole number/],
    ["51 allow-list entries", { prometheusAllow: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`).join("\n") }, "prometheusAllow", /At most 50/],
  ])("refuses %s on its field", (_name, change, field, message) => {
    const result = settingsFromFormValues({ ...defaults(), ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it("refuses malformed allow-list entries on the allow-list, by the line they are on in the textarea", () => {
    const text = "10.0.0.0/8\n\n192.168.0.0/-8\n10.0.0.0/8\n  prometheus.svc  \n10.0.0.0/abc\n";
    const result = settingsFromFormValues({ ...defaults(), prometheusAllow: text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error.field).toBe("prometheusAllow");
    const [first, second] = error.message.split("; Line ");
    expect(first).toMatch(/^Line 3: "192\.168\.0\.0\/-8" .*use a host name, an IP address or a CIDR such as 10\.0\.0\.0\/8/);
    expect(second).toMatch(/^6: "10\.0\.0\.0\/abc" /);
  });

  it("refuses an entry that would allow every address, saying it is refused", () => {
    const result = settingsFromFormValues({ ...defaults(), prometheusAllow: "prometheus.svc\n0.0.0.0/0" });
    expect(result.ok ? [] : result.errors).toEqual([{ field: "prometheusAllow", message: expect.stringMatching(/^Line 2: "0\.0\.0\.0\/0" matches every address.*refused/) }]);
  });

  it("lists several errors in form order", () => {
    const result = settingsFromFormValues({ ...defaults(), staleAfterHours: "x", prometheusUrl: "nope", sources: [] });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(["sources", "prometheusUrl", "staleAfterHours"]);
  });
});

describe("formErrorsFromApi", () => {
  it("puts the 422 fields on the form's fields in form order and keeps the rest apart", () => {
    const { byField, unmatched } = formErrorsFromApi([
      { path: "staleAfterHours", message: "Too big" },
      { path: "prometheusUrl", message: "prometheusUrl host 127.0.0.1 is loopback: add it to the Prometheus allow-list in Settings if this is intended" },
      { path: "body.awsRegion", message: "bad region" },
      { path: "prometheusAllow.2", message: "Too small" },
      { path: "", message: "body must be an object" },
      { path: "somethingElse", message: "unknown" },
    ]);
    expect(byField).toEqual([
      { field: "prometheusUrl", message: expect.stringContaining("loopback") },
      { field: "prometheusAllow", message: "Entry 3: Too small" },
      { field: "awsRegion", message: "bad region" },
      { field: "staleAfterHours", message: "Too big" },
    ]);
    expect(unmatched.map((f) => f.path)).toEqual(["", "somethingElse"]);
  });

  it("names the textarea line of an allow-list entry the server refused, given the text that was sent", () => {
    const message = '"10.0.0.0/abc" has a prefix length that is not a whole number from 1 to 32; use a host name, an IP address or a CIDR such as 10.0.0.0/8';
    // Entry 2 of what was sent (blank lines and the repeat dropped) is on line 4.
    const { byField } = formErrorsFromApi([{ path: "prometheusAllow.1", message }], "127.0.0.1\n\n127.0.0.1\n 10.0.0.0/abc\n");
    expect(byField).toEqual([{ field: "prometheusAllow", message: `Line 4: ${message}` }]);
  });

  it("joins distinct messages of one field and drops repeats", () => {
    const { byField } = formErrorsFromApi([
      { path: "sources.0", message: "Invalid option" },
      { path: "sources.1", message: "Invalid option" },
      { path: "sources", message: "Too small" },
    ]);
    expect(byField).toEqual([{ field: "sources", message: "Invalid option; Too small" }]);
  });
});

describe("modelServerOptions", () => {
  it("names the metrics ingestion reads for each model server", () => {
    const byValue = Object.fromEntries(modelServerOptions.map((o) => [o.value, o]));
    expect(Object.keys(byValue)).toEqual(["none", "vllm", "triton"]);
    expect(byValue.vllm.hint).toContain("vllm:request_success_total");
    expect(byValue.vllm.hint).toContain("vllm:num_requests_waiting");
    expect(byValue.triton.hint).toContain("nv_inference_request_success");
    expect(byValue.triton.hint).toContain("nv_inference_pending_request_count");
    expect(byValue.none.hint).toMatch(/GPU usage only/);
  });
});

describe("parseBudgetInput", () => {
  it.each([
    ["", null],
    ["   ", null],
    ["25000", 25000],
    ["$25,000", 25000],
    [" 1234.5 ", 1234.5],
    ["0", 0],
  ])("%j is %j", (text, value) => {
    expect(parseBudgetInput(text)).toEqual({ ok: true, value });
  });

  it.each(["-5", "abc", "12.345", "1e5", "12 000"])("refuses %j with what to type", (text) => {
    expect(parseBudgetInput(text)).toEqual({ ok: false, message: expect.stringContaining("enter e.g. 25000") });
  });

  it("refuses amounts over the API's maximum", () => {
    expect(parseBudgetInput("100000000001")).toEqual({ ok: false, message: expect.stringContaining("at most") });
  });

  it("shows a budget as the number that saves it unchanged", () => {
    expect(formatBudgetInput(null)).toBe("");
    expect(parseBudgetInput(formatBudgetInput(260000))).toEqual({ ok: true, value: 260000 });
  });
});
