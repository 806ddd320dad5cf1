import "server-only";
import type { z } from "zod";
import { toJsonValue } from "@/lib/db/json-value";
import type { Db, Tx } from "@/lib/db/prisma.server";
import type { SettingDefinition, StoredSetting } from "./setting";

/** The setting's stored value, parsed with its schema (JSON columns are never cast where they leave the database). */
export async function readSetting<S extends z.ZodType>(
  db: Db | Tx,
  setting: SettingDefinition<S>,
): Promise<StoredSetting<z.output<S>>> {
  const row = await db.setting.findUnique({ where: { key: setting.key } });
  if (!row) return { state: "missing" };
  const parsed = setting.schema.safeParse(row.value);
  if (parsed.success) return { state: "valid", value: parsed.data };
  const problem = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  return { state: "invalid", problem, issues: parsed.error.issues };
}

/**
 * Stores `value` under the setting's key, replacing what was there. The value is parsed with the setting's schema
 * first, so a caller cannot store what its readers would refuse; `updatedById` names the person who changed it
 * (none for the portal's own writes).
 */
export async function writeSetting<S extends z.ZodType>(
  db: Db | Tx,
  setting: SettingDefinition<S>,
  value: z.input<S>,
  o: { updatedById?: string } = {},
): Promise<z.output<S>> {
  const parsed = setting.schema.parse(value);
  const json = toJsonValue(parsed);
  const by = o.updatedById === undefined ? {} : { updatedById: o.updatedById };
  await db.setting.upsert({
    where: { key: setting.key },
    create: { key: setting.key, value: json, ...by },
    update: { value: json, ...by },
  });
  return parsed;
}
