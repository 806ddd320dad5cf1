import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerContent, buildProbeJob } from "./model-probe";

// Runs the probe Job's real shell script with a stand-in curl that answers like an OpenAI-style server (a new id and
// created time per call) and records the request bodies it was sent.
function runScript(model: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), "probe-"));
  const curl = join(dir, "curl");
  writeFileSync(
    curl,
    [
      "#!/bin/sh",
      'while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift;; -d) body="$2"; shift;; esac; shift; done',
      `printf '%s\\n' "$body" >> ${dir}/requests`,
      'n=$(od -An -N4 -tu4 /dev/urandom | tr -d " ")',
      'printf \'{"id":"cmpl-%s","created":%s,"choices":[{"index":0,"text":"Paris \\\\"is\\\\" it"}]}\' "$n" "$n" > "$out"',
      "printf 200",
    ].join("\n"),
  );
  chmodSync(curl, 0o755);
  const job = buildProbeJob({
    name: "p",
    namespace: "ml",
    url: "http://m.ml.svc:8000/v1/completions",
    requests: ["What is the capital of France?", "Again?"],
    runLabel: {},
    deadlineSeconds: 10,
    model,
  });
  const container = job.spec.template.spec.containers[0];
  const env = Object.fromEntries(container!.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  const script = container!.command[2]!.replace("/dev/termination-log", join(dir, "result"));
  execFileSync("sh", ["-c", script], { env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}` } });
  return {
    results: JSON.parse(readFileSync(join(dir, "result"), "utf8")) as Array<{ status: number; sha256: string }>,
    requests: readFileSync(join(dir, "requests"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l)),
  };
}

describe("the model probe Job's script", () => {
  it("hashes the answer's content, so responses differing only in id and created match", () => {
    const { results } = runScript("llama-3");
    const expected = createHash("sha256")
      .update(answerContent('{"choices":[{"text":"Paris \\"is\\" it"}]}'))
      .digest("hex");
    expect(results).toEqual([
      { status: 200, sha256: expected },
      { status: 200, sha256: expected },
    ]);
  });

  it("sends the model field with each prompt when the step names one", () => {
    expect(runScript("llama-3").requests[0]).toEqual({
      model: "llama-3",
      prompt: "What is the capital of France?",
      max_tokens: 32,
      temperature: 0,
    });
    expect(runScript(undefined).requests[1]).toEqual({ prompt: "Again?", max_tokens: 32, temperature: 0 });
  });
});

describe("answerContent", () => {
  it("keeps completion text and chat message content in order, nothing else", () => {
    expect(
      answerContent(
        '{"id":"x","created":1,"choices":[{"text":"a"},{"message":{"role":"assistant","content":"b \\"c\\""}}]}',
      ),
    ).toBe('"a"\n"b \\"c\\""');
  });
});
