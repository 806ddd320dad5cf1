import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma, type Db, type Tx } from "@/lib/db/prisma.server";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting, writeSetting } from "@/lib/settings/setting-store.server";
import { storedUrlAllowListSchema, URL_ALLOW_LIST_KEY, type UrlAllowList } from "./schema";

const urlAllowListSetting = defineSetting(URL_ALLOW_LIST_KEY, storedUrlAllowListSchema);

/** The admin's URL allow-list; empty (nothing is fetched) when none was saved. */
export async function readUrlAllowList(db: Db | Tx = getPrisma()): Promise<string[]> {
  const stored = await readSetting(db, urlAllowListSetting);
  // An unreadable value opens nothing: the page that edits it shows it empty, and saving replaces it.
  return stored.state === "valid" ? stored.value.entries : [];
}

/** Saves the list (entries already validated by urlAllowListSchema) and audits what it was and what it became. */
export async function updateUrlAllowList(o: {
  actor: PortalUser;
  list: UrlAllowList;
  traceId?: string;
}): Promise<UrlAllowList> {
  const entries = [...new Set(o.list.entries)];
  return getPrisma().$transaction(async (tx) => {
    const before = await readUrlAllowList(tx);
    await writeSetting(tx, urlAllowListSetting, { entries }, { updatedById: o.actor.id });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "settings.url-allow-list.update",
      targetType: "setting",
      targetId: URL_ALLOW_LIST_KEY,
      outcome: "success",
      traceId: o.traceId,
      details: { from: before, to: entries },
    });
    return { entries };
  });
}

/** Adds entries the portal itself needs (the demo's own health endpoint) to the list, keeping what is there. */
export async function addToUrlAllowList(db: Db, entries: readonly string[]): Promise<void> {
  const current = await readUrlAllowList(db);
  const next = [...new Set([...current, ...entries])];
  if (next.length === current.length) return;
  await writeSetting(db, urlAllowListSetting, { entries: next });
}
