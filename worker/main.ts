// The background worker: `npm run worker` (or the image's worker entry point). Any number of workers share the
// Postgres-backed queue; pg-boss hands each job to one of them. SIGTERM: stop taking work, let the current jobs
// finish (up to WORKER_SHUTDOWN_TIMEOUT_MS), release what is left to be retried, close the pools.
import { readEnv } from "@/lib/env/get-env";
import { getBoss, stopBoss } from "@/lib/jobs/queue.server";
import { parseJobData, type JobName } from "@/lib/jobs/job-definitions";
import { disconnectPrisma } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics.server";
import { jobHandlers, type JobHandler } from "./handlers.server";
import { startMaintenance } from "./maintenance.server";
import http from "node:http";

async function main(): Promise<void> {
  const env = readEnv();
  if (!env.ok) {
    for (const problem of env.problems) console.error(`configuration error: ${problem}`);
    process.exit(78); // EX_CONFIG
  }
  const shutdown = new AbortController();
  const workerConcurrency = env.env.WORKER_CONCURRENCY;
  const boss = await getBoss();
  for (const name of Object.keys(jobHandlers) as JobName[]) await work(name);

  async function work<N extends JobName>(name: N): Promise<void> {
    const handler: JobHandler<N> = jobHandlers[name];
    await boss.work(
      name,
      { batchSize: 1, localConcurrency: workerConcurrency, pollingIntervalSeconds: 1 },
      async ([job]) => {
        if (!job) return;
        const started = performance.now();
        const log = logger.child({ jobId: job.id, job: name });
        log.info("job started");
        try {
          const payload = parseJobData(name, job.data);
          // Aborted at shutdown, and when pg-boss no longer counts this worker's claim (the job expired and is retried
          // elsewhere): a handler waiting for its cluster stops waiting then.
          await handler(payload, { jobId: job.id, signal: AbortSignal.any([shutdown.signal, job.signal]) });
          metrics().jobDuration.observe({ job: name, outcome: "success" }, (performance.now() - started) / 1000);
          log.info({ ms: Math.round(performance.now() - started) }, "job finished");
        } catch (error) {
          metrics().jobDuration.observe({ job: name, outcome: "failure" }, (performance.now() - started) / 1000);
          metrics().jobFailures.inc({ job: name });
          log.error({ err: error instanceof Error ? error.message : String(error) }, "job failed");
          throw error;
        }
      },
    );
  }
  const metricsServer =
    env.env.WORKER_METRICS_PORT > 0 ? serveMetrics(env.env.WORKER_METRICS_PORT, env.env.HOST) : null;
  const stopMaintenance = env.env.WORKER_MAINTENANCE ? startMaintenance(boss) : () => undefined;
  logger.info({ queues: Object.keys(jobHandlers) }, "worker ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: no new jobs; finishing current ones");
    stopMaintenance();
    metricsServer?.close();
    const timeout = env.env.WORKER_SHUTDOWN_TIMEOUT_MS;
    // graceful stop waits for active handlers; after the timeout handlers are told to abort and pg-boss
    // leaves unfinished jobs to expire and be retried by another worker.
    const abortTimer = setTimeout(() => shutdown.abort(), Math.max(0, timeout - 2000));
    await stopBoss({ graceful: true, timeout });
    clearTimeout(abortTimer);
    await disconnectPrisma();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** /metrics and /healthz on host:port: loopback unless HOST says otherwise (the image listens on every interface). */
function serveMetrics(port: number, host: string): http.Server {
  const server = http.createServer(async (request, response) => {
    if (request.url === "/metrics") {
      const { registry } = metrics();
      response.writeHead(200, { "Content-Type": registry.contentType });
      response.end(await registry.metrics());
    } else if (request.url === "/healthz") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end('{"status":"ok"}');
    } else {
      response.writeHead(404).end();
    }
  });
  server.on("error", (error) =>
    logger.error(
      { err: error.message, host, port },
      "worker metrics server failed: set WORKER_METRICS_PORT to a free port (or 0), and HOST to an address of this machine",
    ),
  );
  server.on("listening", () => {
    const bound = server.address();
    if (bound && typeof bound === "object")
      logger.info({ address: bound.address, port: bound.port }, "worker metrics listening");
  });
  server.listen(port, host);
  return server;
}

main().catch((error) => {
  console.error(`worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
