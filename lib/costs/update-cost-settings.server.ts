import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { HttpError } from "@/lib/http/errors";
import { COST_SETTINGS_KEY } from "./ingest-usage.server";
import { checkPrometheusUrl } from "./prometheus-client.server";
import type { CostSettings } from "./schema";

/** Saves the cost data sources; the Prometheus URL must pass the allow-list (resolved now, checked again at use). */
export async function updateCostSettings(o: { user: PortalUser; settings: CostSettings; requestId?: string }) {
  if (o.settings.sources.includes("prometheus") && !o.settings.prometheusUrl) {
    throw new HttpError(422, "validation_failed", "prometheusUrl is required when prometheus is a source: add it or remove the source", [{ path: "prometheusUrl", message: "required when prometheus is a source" }]);
  }
  if (o.settings.prometheusUrl) {
    try {
      await checkPrometheusUrl(o.settings.prometheusUrl, o.settings.prometheusAllow);
    } catch (e) {
      throw new HttpError(422, "validation_failed", (e as Error).message, [{ path: "prometheusUrl", message: (e as Error).message }]);
    }
  }
  return getPrisma().$transaction(async (tx) => {
    const previous = await tx.setting.findUnique({ where: { key: COST_SETTINGS_KEY } });
    const before = previousTargets(previous?.value);
    const value = o.settings as unknown as Prisma.InputJsonValue;
    await tx.setting.upsert({ where: { key: COST_SETTINGS_KEY }, create: { key: COST_SETTINGS_KEY, value, updatedById: o.user.id }, update: { value, updatedById: o.user.id } });
    // The allow-list is what opens loopback and private addresses to the server-side fetch: record what it was and
    // what it became, beside the URL it lets through.
    await recordAudit(tx, {
      actor: { id: o.user.id, email: o.user.email },
      action: "settings.costs.update",
      targetType: "setting",
      targetId: COST_SETTINGS_KEY,
      outcome: "success",
      traceId: o.requestId,
      details: {
        sources: o.settings.sources,
        modelServer: o.settings.modelServer,
        prometheusUrl: { from: before.prometheusUrl, to: o.settings.prometheusUrl ?? null },
        prometheusAllow: { from: before.prometheusAllow, to: o.settings.prometheusAllow },
      },
    });
    return o.settings;
  });
}

/** The saved URL and allow-list as stored, read leniently: an old or hand-edited value must not block saving a fixed one. */
function previousTargets(value: unknown): { prometheusUrl: string | null; prometheusAllow: string[] } {
  const saved = (value && typeof value === "object" ? value : {}) as { prometheusUrl?: unknown; prometheusAllow?: unknown };
  return {
    prometheusUrl: typeof saved.prometheusUrl === "string" ? saved.prometheusUrl : null,
    prometheusAllow: Array.isArray(saved.prometheusAllow) ? saved.prometheusAllow.filter((e): e is string => typeof e === "string") : [],
  };
}
