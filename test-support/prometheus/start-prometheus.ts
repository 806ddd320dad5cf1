// Starts the real Prometheus (Debian package) on 127.0.0.1 with history backfilled through
// `promtool tsdb create-blocks-from openmetrics`, for integration tests of the Prometheus usage source.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface OpenMetricsSeries {
  name: string;
  labels: Record<string, string>;
  /** [unix milliseconds, value] */
  points: [number, number][];
}

export interface RunningPrometheus {
  url: string;
  stop: () => Promise<void>;
}

export function binary(name: "prometheus" | "promtool"): string {
  return process.env[name.toUpperCase() + "_BIN"] ?? `/usr/bin/${name}`;
}

/** OpenMetrics text as promtool wants it: one TYPE per family, timestamps in seconds, `# EOF` at the end. */
export function toOpenMetrics(series: readonly OpenMetricsSeries[]): string {
  const families = new Map<string, OpenMetricsSeries[]>();
  for (const s of series) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of families) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",");
      for (const [t, v] of s.points) lines.push(`${name}{${labels}} ${v} ${(t / 1000).toFixed(3)}`);
    }
  }
  lines.push("# EOF");
  return lines.join("\n") + "\n";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(series: readonly OpenMetricsSeries[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-prom-"));
  const data = path.join(dir, "data");
  await writeFile(path.join(dir, "input.om"), toOpenMetrics(series));
  await writeFile(path.join(dir, "prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
  try {
    await run(binary("promtool"), ["tsdb", "create-blocks-from", "openmetrics", path.join(dir, "input.om"), data], { maxBuffer: 16 << 20 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`promtool backfill failed (is the Debian prometheus package installed? apt-get install -y --no-install-recommends prometheus): ${(e as Error).message}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary("prometheus"),
    [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, "--storage.tsdb.retention.time=3650d", "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready in 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}
