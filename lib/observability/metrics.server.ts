import "server-only";
import client from "prom-client";

// One registry per process, kept on globalThis so that Next's module reloading does not double-register.
const g = globalThis as typeof globalThis & { portalMetrics?: ReturnType<typeof createMetrics> };

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: "portal_http_request_duration_seconds",
    help: "HTTP request latency by route template, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobDuration = new client.Histogram({
    name: "portal_job_duration_seconds",
    help: "Background job duration by job name and outcome",
    labelNames: ["job", "outcome"] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const jobFailures = new client.Counter({
    name: "portal_job_failures_total",
    help: "Background job failures by job name",
    labelNames: ["job"] as const,
    registers: [registry],
  });
  const queueDepth = new client.Gauge({
    name: "portal_queue_jobs",
    help: "Background jobs waiting (queued) or running (active) per queue",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      // Imported lazily: the queue module starts pg-boss, which only a scrape should trigger here.
      const { queueDepths } = await import("@/lib/jobs/queue.server");
      try {
        for (const [queue, depth] of Object.entries(await queueDepths())) {
          this.set({ queue, state: "queued" }, depth.queued);
          this.set({ queue, state: "active" }, depth.active);
        }
      } catch {
        // The database is down: /api/readyz reports it; the scrape still answers with the other metrics.
      }
    },
  });
  return { registry, httpDuration, jobDuration, jobFailures, queueDepth };
}

export function metrics() {
  g.portalMetrics ??= createMetrics();
  return g.portalMetrics;
}
