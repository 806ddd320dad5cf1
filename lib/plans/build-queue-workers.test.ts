import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { batchJobTemplate, redisLoop } from "./build-queue-workers";
import { buildPlanContext } from "./plan-context";
import { planInputSchema } from "./schema";

const ctx = buildPlanContext(planInputSchema.parse({ infrastructure_task: "cluster_setup", workload_type: "batch" }));

describe("the batch worker pod", () => {
  const pod = batchJobTemplate(ctx).template;
  const consumer = pod.spec.containers[0]!;

  it("asks Karpenter and the cluster autoscaler not to evict it while it drains the queue", () => {
    expect(pod.metadata.annotations).toEqual({
      "karpenter.sh/do-not-disrupt": "true",
      "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
    });
  });

  it("runs the reliable-queue loop with its own pod name for the processing list", () => {
    expect(consumer.command).toEqual(["sh", "-c", redisLoop]);
    expect(consumer.env).toContainEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
  });
});

// The loop runs as written, in a POSIX sh, against a real Redis; only the model server is a stub (a `wget` that
// answers "answer:<request>" and refuses requests containing "refuse").
describe("the batch worker loop against Redis", () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  let server: ChildProcess;
  const bin = mkdtempSync(join(tmpdir(), "worker-bin-"));
  const redis = (...args: string[]) =>
    execFileSync("redis-cli", ["-p", String(port), "--raw", ...args], { encoding: "utf8" }).trim();
  const lrange = (key: string) => redis("LRANGE", key, "0", "-1").split("\n").filter(Boolean);
  const runWorker = (pod: string, redisPort = port) =>
    spawnSync("sh", ["-c", redisLoop], {
      encoding: "utf8",
      timeout: 20_000,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        REDIS_HOST: "127.0.0.1",
        REDIS_PORT: String(redisPort),
        QUEUE_NAME: "jobs",
        POD_NAME: pod,
        MODEL_URL: "http://127.0.0.1:8000/v2/models/m/infer",
      },
    });

  beforeAll(async () => {
    writeFileSync(
      join(bin, "wget"),
      '#!/bin/sh\nbody=$(cat)\ncase "$body" in *refuse*) exit 1;; esac\nprintf "answer:%s" "$body"\n',
    );
    chmodSync(join(bin, "wget"), 0o755);
    server = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 50; i++) {
      if (spawnSync("redis-cli", ["-p", String(port), "PING"], { encoding: "utf8" }).stdout.trim() === "PONG") return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis-server did not start on port ${port}`);
  });
  afterAll(() => {
    server.kill();
  });
  beforeEach(() => {
    redis("FLUSHALL");
  });

  it("answers every request in order and leaves no processing list behind", () => {
    redis("RPUSH", "jobs", '{"id":1}', '{"id":2}', '{"id":3}');
    const run = runWorker("w-1");
    expect(run.status).toBe(0);
    expect(lrange("jobs:results")).toEqual(['answer:{"id":1}', 'answer:{"id":2}', 'answer:{"id":3}']);
    expect(redis("EXISTS", "jobs", "jobs:processing:w-1")).toBe("0");
  });

  it("hands back what a worker that died mid-request was processing, and leaves a live worker's alone", () => {
    redis("RPUSH", "jobs:processing:dead", '{"id":"lost"}');
    redis("RPUSH", "jobs:processing:busy", '{"id":"in-flight"}');
    redis("SET", "jobs:alive:busy", "1", "EX", "60");
    const run = runWorker("w-2");
    expect(run.status).toBe(0);
    expect(lrange("jobs:results")).toEqual(['answer:{"id":"lost"}']);
    expect(lrange("jobs:processing:busy")).toEqual(['{"id":"in-flight"}']);
    expect(redis("EXISTS", "jobs:processing:dead")).toBe("0");
  });

  it("puts a refused request back on the queue and fails, so the Job retries it", () => {
    redis("RPUSH", "jobs", '{"id":1}', '{"refuse":true}', '{"id":3}');
    const run = runWorker("w-3");
    expect(run.status).toBe(1);
    expect(lrange("jobs:results")).toEqual(['answer:{"id":1}']);
    expect(lrange("jobs")).toEqual(['{"id":3}', '{"refuse":true}']);
    expect(redis("EXISTS", "jobs:processing:w-3")).toBe("0");
  });

  it("fails rather than completes when Redis cannot be reached", () => {
    const run = runWorker("w-4", port + 1);
    expect(run.status).not.toBe(0);
  });
});
