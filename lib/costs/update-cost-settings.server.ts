import "server-only";
import { toJsonValue } from "@/lib/db/json-value";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError, type FieldError } from "@/lib/errors/domain-error";
import { checkUrl } from "@/lib/net/url-policy";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { COST_SETTINGS_KEY } from "@/lib/costs/sources/ingest-usage.server";
import type { CostSettings } from "./schema";

/**
 * Saves the cost data sources. The Prometheus URL and a custom AWS endpoint must pass the URL policy now (against
 * the saved URL allow-list) and do again at every connection, where their addresses are checked too.
 */
export async function updateCostSettings(o: { actor: PortalUser; settings: CostSettings; traceId?: string }) {
  if (o.settings.sources.includes("prometheus") && !o.settings.prometheusUrl) {
    throw new DomainError(
      "validation_failed",
      "prometheusUrl is required when prometheus is a source: add it or remove the source",
      [{ path: "prometheusUrl", message: "required when prometheus is a source" }],
    );
  }
  const allow = await readUrlAllowList();
  const refused: FieldError[] = [];
  for (const field of ["prometheusUrl", "awsEndpoint", "priceApiEndpoint"] as const) {
    const url = o.settings[field];
    if (!url) continue;
    const verdict = checkUrl(url, allow, field);
    if (!verdict.ok) refused.push({ path: field, message: verdict.reason });
  }
  if (refused.length) throw new DomainError("validation_failed", refused.map((f) => f.message).join("; "), refused);
  return getPrisma().$transaction(async (tx) => {
    const previous = await tx.setting.findUnique({ where: { key: COST_SETTINGS_KEY } });
    const before = previousTargets(previous?.value);
    const value = toJsonValue(o.settings);
    await tx.setting.upsert({
      where: { key: COST_SETTINGS_KEY },
      create: { key: COST_SETTINGS_KEY, value, updatedById: o.actor.id },
      update: { value, updatedById: o.actor.id },
    });
    // The URLs are what the server will fetch: record what they were and what they became.
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "settings.costs.update",
      targetType: "setting",
      targetId: COST_SETTINGS_KEY,
      outcome: "success",
      traceId: o.traceId,
      details: {
        sources: o.settings.sources,
        modelServer: o.settings.modelServer,
        prometheusUrl: { from: before.prometheusUrl, to: o.settings.prometheusUrl ?? null },
        awsEndpoint: { from: before.awsEndpoint, to: o.settings.awsEndpoint ?? null },
      },
    });
    return o.settings;
  });
}

/** The saved URLs as stored, read leniently: an old or hand-edited value must not block saving a fixed one. */
function previousTargets(value: unknown): { prometheusUrl: string | null; awsEndpoint: string | null } {
  const saved = (value && typeof value === "object" ? value : {}) as { prometheusUrl?: unknown; awsEndpoint?: unknown };
  return {
    prometheusUrl: typeof saved.prometheusUrl === "string" ? saved.prometheusUrl : null,
    awsEndpoint: typeof saved.awsEndpoint === "string" ? saved.awsEndpoint : null,
  };
}
