import { describe, expect, it } from "vitest";
import { costSettingsSchema } from "@/lib/costs/schema";
import {
  formatBudgetInput,
  formErrorsFromApi,
  formValuesFromSettings,
  modelServerOptions,
  parseBudgetInput,
  settingsFromFormValues,
  type CostSettingsFormValues,
} from "./settings-form-model";

const defaults = (): CostSettingsFormValues => formValuesFromSettings(costSettingsSchema.parse({}));

describe("formValuesFromSettings / settingsFromFormValues", () => {
  it("fills the form from the current setting and gives back the same setting unchanged", () => {
    const current = costSettingsSchema.parse({
      sources: ["demo", "prometheus"],
      cloud: "gcp",
      prometheusUrl: "http://prometheus.monitoring.svc:9090",
      modelServer: "triton",
      awsRegion: "eu-west-1",
      awsEndpoint: "https://ce.example.com",
      teamTagKey: "owner",
      workloadTagKey: "kind",
      staleAfterHours: 6,
    });
    const values = formValuesFromSettings(current);
    expect(values).toMatchObject({
      prometheusUrl: "http://prometheus.monitoring.svc:9090",
      staleAfterHours: "6",
      modelServer: "triton",
      awsEndpoint: "https://ce.example.com",
    });
    expect(settingsFromFormValues(values)).toEqual({ ok: true, settings: current });
  });

  it("turns empty optional URLs into absent ones and trims what was typed", () => {
    const result = settingsFromFormValues({
      ...defaults(),
      prometheusUrl: "  ",
      awsEndpoint: "",
      awsRegion: " us-west-2 ",
      staleAfterHours: " 12 ",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const body = JSON.parse(JSON.stringify(result.settings)); // what PUT sends
    expect(body).not.toHaveProperty("prometheusUrl");
    expect(body).not.toHaveProperty("awsEndpoint");
    expect(result.settings).toMatchObject({ awsRegion: "us-west-2", staleAfterHours: 12 });
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
  ])("refuses %s on its field", (_name, change, field, message) => {
    const result = settingsFromFormValues({ ...defaults(), ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
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
      {
        path: "prometheusUrl",
        message: "prometheusUrl http://127.0.0.1:9090: 127.0.0.1 port 9090 is not on the URL allow-list",
      },
      { path: "body.awsRegion", message: "bad region" },
      { path: "", message: "body must be an object" },
      { path: "somethingElse", message: "unknown" },
    ]);
    expect(byField).toEqual([
      { field: "prometheusUrl", message: expect.stringContaining("URL allow-list") },
      { field: "awsRegion", message: "bad region" },
      { field: "staleAfterHours", message: "Too big" },
    ]);
    expect(unmatched.map((f) => f.path)).toEqual(["", "somethingElse"]);
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
    expect(byValue.vllm!.hint).toContain("vllm:request_success_total");
    expect(byValue.vllm!.hint).toContain("vllm:num_requests_waiting");
    expect(byValue.triton!.hint).toContain("nv_inference_request_success");
    expect(byValue.triton!.hint).toContain("nv_inference_pending_request_count");
    expect(byValue.none!.hint).toMatch(/GPU usage only/);
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
