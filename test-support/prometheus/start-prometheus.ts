// Starts the real Prometheus (Debian package) on 127.0.0.1 with history backfilled through
// `promtool tsdb create-blocks-from openmetrics`, for integration tests of the Prometheus usage source.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { once } from "node:events";
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

/** One series in OpenMetrics text as promtool wants it: timestamps in seconds. */
function seriesLines(s: OpenMetricsSeries): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",");
  let out = "";
  for (const [t, v] of s.points) out += `${s.name}{${labels}} ${v} ${(t / 1000).toFixed(3)}\n`;
  return out;
}

async function write(stream: WriteStream, text: string | Buffer): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/**
 * Writes the series as one OpenMetrics file without holding it in memory: OpenMetrics wants each family's samples
 * together, so each family goes to its own part file first (series may come in any order, e.g. node by node), then
 * the parts are concatenated under their TYPE lines.
 */
export async function writeOpenMetrics(
  series: Iterable<OpenMetricsSeries>,
  file: string,
): Promise<{ samples: number }> {
  const dir = path.dirname(file);
  const parts = new Map<string, { path: string; stream: WriteStream }>();
  let samples = 0;
  for (const s of series) {
    let part = parts.get(s.name);
    if (!part) {
      const partPath = path.join(dir, `family-${parts.size}.part`);
      part = { path: partPath, stream: createWriteStream(partPath) };
      parts.set(s.name, part);
    }
    samples += s.points.length;
    await write(part.stream, seriesLines(s));
  }
  await Promise.all(
    [...parts.values()].map(
      async (p) => new Promise<void>((r, j) => p.stream.end((e?: Error | null) => (e ? j(e) : r()))),
    ),
  );
  const out = createWriteStream(file);
  for (const [name, part] of parts) {
    await write(out, `# TYPE ${name} gauge\n`);
    for await (const chunk of createReadStream(part.path)) await write(out, chunk as Buffer);
    await rm(part.path);
  }
  await new Promise<void>((r, j) => out.end("# EOF\n", (e?: Error | null) => (e ? j(e) : r())));
  return { samples };
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

export interface StartPrometheusOptions {
  /**
   * promtool's --max-block-duration (default 2h): a longer history backfills into fewer, larger blocks, faster and
   * without Prometheus compacting them afterwards. "24h" suits weeks of one-minute samples.
   */
  maxBlockDuration?: string;
}

/**
 * `series` may be a generator: it is streamed to disk (writeOpenMetrics), so a fleet's weeks of one-minute samples
 * never sit in memory as one string.
 */
export async function startPrometheus(
  series: Iterable<OpenMetricsSeries>,
  options: StartPrometheusOptions = {},
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-prom-"));
  const data = path.join(dir, "data");
  await writeOpenMetrics(series, path.join(dir, "input.om"));
  await writeFile(path.join(dir, "prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
  try {
    const blocks = options.maxBlockDuration ? [`--max-block-duration=${options.maxBlockDuration}`] : [];
    await run(
      binary("promtool"),
      ["tsdb", "create-blocks-from", "openmetrics", ...blocks, path.join(dir, "input.om"), data],
      { maxBuffer: 16 << 20 },
    );
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `promtool backfill failed (is the Debian prometheus package installed? apt-get install -y --no-install-recommends prometheus): ${(e as Error).message}`,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary("prometheus"),
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=3650d",
      "--log.level=warn",
    ],
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
