import type { z } from "zod";

/**
 * One row of the Setting table: its key and the schema its value must pass, written once beside the domain that owns
 * it so every read and write of the key agrees on the value's shape.
 */
export interface SettingDefinition<S extends z.ZodType> {
  key: string;
  schema: S;
}

export function defineSetting<S extends z.ZodType>(key: string, schema: S): SettingDefinition<S> {
  return { key, schema };
}

/**
 * A setting as read: absent, stored but refused by its schema (an old or hand-edited value; `problem` names the
 * fields), or valid. Each reader decides what an absent or invalid value means for it (defaults, the environment's,
 * nothing allowed), so that decision stays visible where it matters.
 */
export type StoredSetting<T> =
  | { state: "missing" }
  | { state: "invalid"; problem: string; issues: readonly z.core.$ZodIssue[] }
  | { state: "valid"; value: T };
