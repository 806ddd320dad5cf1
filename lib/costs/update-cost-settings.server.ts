import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError, type FieldError } from "@/lib/errors/domain-error";
import { checkUrl } from "@/lib/net/url-policy";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { COST_SETTINGS_KEY, costSettingsSetting } from "@/lib/costs/sources/ingest-usage.server";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting, writeSetting } from "@/lib/settings/setting-store.server";
import type { CostSettings } from "./schema";

/**
 * The saved URLs as stored, read leniently: an old or hand-edited value must not block saving a fixed one, so a
 * field (or a whole value) that is not what it should be reads as none.
 */
const savedTargetsSetting = defineSetting(
  COST_SETTINGS_KEY,
  z
    .object({
      prometheusUrl: z.string().nullable().catch(null),
      awsEndpoint: z.string().nullable().catch(null),
    })
    .catch({ prometheusUrl: null, awsEndpoint: null }),
);

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
    const previous = await readSetting(tx, savedTargetsSetting);
    const before = previous.state === "valid" ? previous.value : { prometheusUrl: null, awsEndpoint: null };
    await writeSetting(tx, costSettingsSetting, o.settings, { updatedById: o.actor.id });
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
